using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Graph;
using Pipeline.Core.Loading;
using Pipeline.Core.Text;
using Pipeline.Core.Validation;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow validate [path...]</c>: reads and checks workflow files; exit 0 when all are valid, 2 otherwise.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Workflow files or directories to check. Default: workflows/**/*.workflow.json (or .yml), *.workflow.json (or .yml), workflow.yml and Taskfile.yml in the current directory",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("validate", """
            Check workflow files for errors without running anything.

            Reports syntax and schema errors, unknown task references, dependency cycles, bad cron
            expressions, URLs, connection strings and expressions, each with file, line, column, a
            stable code (WF1xxx schema, WF2xxx graph, WF3xxx expressions, WF4xxx environment) and a hint.
            Prints a summary (tasks, parallel levels, critical path) for each valid file.

            Examples:
              workflow validate                             every workflow under the current directory
              workflow validate workflows/deploy.workflow.json
              workflow validate samples Taskfile.yml --format json

            Exit codes: 0 all valid (warnings allowed), 2 errors found or bad usage.
            """)
        {
            paths,
        };
        command.SetAction(parse => Run(
            parse.GetValue(paths) ?? Array.Empty<string>(),
            parse.GetValue(GlobalOptions.Config),
            parse.GetValue(GlobalOptions.Format),
            parse.GetValue(GlobalOptions.Verbose),
            parse.GetValue(GlobalOptions.Quiet),
            Console.Out));
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, FileInfo? configFile, OutputFormat format, bool verbose, bool quiet, TextWriter output)
    {
        var general = new List<Diagnostic>();
        var config = CliConfig.Load(configFile, general);
        var (files, missing) = FileDiscovery.Find(paths);
        foreach (var m in missing)
            general.Add(new Diagnostic(Descriptors.FileUnreadable, SourceSpan.FileStart(m), "no such file or directory", "check the path"));
        if (files.Count == 0 && missing.Count == 0)
            general.Add(new Diagnostic(Descriptors.NoWorkflowFiles, SourceSpan.FileStart(paths.Count == 0 ? "." : paths[0]),
                "no workflow files found", "name files *.workflow.json or *.workflow.yml (in workflows/ or here), workflow.yml or Taskfile.yml, or pass a path"));

        var reports = new List<FileReport>();
        foreach (var file in files)
        {
            var read = WorkflowLoader.Load(file);
            var diagnostics = WorkflowValidator.Validate(read)
                .Concat(EnvironmentChecks.Check(read))
                .Select(config.Apply).Where(d => d is not null).Select(d => d!).ToList();
            var valid = diagnostics.All(d => d.Severity != Severity.Error);
            var graph = valid && read.Workflow is not null ? WorkflowGraph.Build(read.Workflow) : null;
            reports.Add(new FileReport(file, read, diagnostics, graph));
        }

        if (format == OutputFormat.Json) JsonReporter.Write(output, reports, general, verbose);
        else TextReporter.Write(output, reports, general, verbose, quiet);
        var ok = reports.All(r => r.Valid) && general.All(d => d.Severity != Severity.Error);
        return ok ? ExitCodes.Success : ExitCodes.InvalidInput;
    }
}
