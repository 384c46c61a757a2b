using System.CommandLine;
using Pipeline.Cli;
using Pipeline.Cli.Commands;

// Words after "--" are not options: `workflow run -t Taskfile.yml test -- -run TestX` hands them to the
// Taskfile as {{.CLI_ARGS}}, as go-task does.
var separator = Array.IndexOf(args, "--");
string[] afterSeparator = separator >= 0 ? args[(separator + 1)..] : [];
if (separator >= 0) args = args[..separator];

var root = new RootCommand("Pipeline: workflow orchestration for .NET teams. Validate, run and schedule workflows written as *.workflow.json or Taskfile.yml.")
{
    GlobalOptions.Verbose,
    GlobalOptions.Quiet,
    GlobalOptions.Config,
    GlobalOptions.Format,
};
foreach (var command in CommandTable.For(args, afterSeparator)) root.Add(command);

var parse = root.Parse(args);
// Runs' traces and metrics go to an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT says where;
// disposed when the program ends, which sends what is left.
using var telemetry = Pipeline.Telemetry.OtlpTelemetry.StartFromEnvironment("workflow");
try
{
    // Our handlers, not System.CommandLine's. Its exception handler prints a stack trace and exits 1;
    // its termination handler cancels the command and then exits 143 two seconds after Ctrl-C or SIGTERM,
    // cutting short the clean-up a run owes (grace period, callbacks, rollback, store, report).
    // Signals are ours alone: Running/SignalHandler while a run is on, the runtime's defaults otherwise.
    var code = await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null,
    });
    // System.CommandLine returns 1 for usage errors; ours is 2 (see ExitCodes).
    return parse.Errors.Count > 0 ? ExitCodes.InvalidInput : code;
}
catch (Pipeline.State.StateStoreException ex)
{
    // The store failed under a command that needs it (opening, or a server that went away mid-query).
    Console.Error.WriteLine($"workflow: {ex.Message}");
    return ExitCodes.StateUnavailable;
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    Console.Error.WriteLine($"workflow: internal error: {ex.Message}");
    // The whole exception (type, stack, inner ones) with --verbose or WORKFLOW_DEBUG=1, for the report.
    if (args.Contains("--verbose") || args.Contains("-v") || Environment.GetEnvironmentVariable("WORKFLOW_DEBUG") == "1") Console.Error.WriteLine(ex);
    Console.Error.WriteLine("This is a bug in Pipeline; please report it with the command you ran (and --verbose for the details).");
    return ExitCodes.InternalError;
}
