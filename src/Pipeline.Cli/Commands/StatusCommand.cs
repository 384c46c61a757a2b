using Pipeline.State;
using System.CommandLine;
using System.Text.Json;
using Pipeline.Cli.Output;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow status &lt;execution-id&gt;</c>: one recorded execution, task by task.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("execution-id") { Description = "The execution's id, or a unique beginning of it (as workflow history prints it; asked on a terminal when left out)", Arity = ArgumentArity.ZeroOrOne };
        id.CompletionSources.Add(Completions.Executions);
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("status", """
            Show one execution: its status and error, then every task instance with its status,
            attempts, duration, exit code and log files, and each failed attempt's error.

            Examples:
              workflow status 20261124T101500123Z-1a2b3c
              workflow status 20261124T1015 --format json

            Exit codes: 0 shown, 2 no such execution (or several match) or no state database,
            3 the store cannot be used.
            """)
        {
            id, stateDir,
        };
        command.SetAction(parse =>
        {
            var error = Console.Error;
            using var store = StateStores.OpenForReading(parse.GetValue(stateDir)!, error);
            if (store is null) return ExitCodes.InvalidInput;
            var recent = parse.GetValue(id) is null ? store.History(new HistoryQuery { Limit = 15 }) : [];
            var wanted = Running.Prompting.ExecutionGivenOrChosen(parse.GetValue(id), recent, error);
            if (wanted is null) return ExitCodes.InvalidInput;
            var detail = store.Find(wanted);
            if (detail is null)
            {
                error.WriteLine($"workflow: no single execution matches '{wanted}'");
                error.WriteLine("    hint: workflow history lists the ids; give more of the id if several start the same way");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(StateJson.Write(detail));
                return ExitCodes.Success;
            }
            StateText.Detail(Console.Out, detail);
            return ExitCodes.Success;
        });
        return command;
    }
}
