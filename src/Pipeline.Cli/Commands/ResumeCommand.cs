using System.CommandLine;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow resume &lt;execution-id&gt;</c>: continue an interrupted (or failed) execution.</summary>
public static class ResumeCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("execution-id") { Description = "The execution to continue (as workflow history prints it, or a unique beginning of it; asked on a terminal among the interrupted and failed when left out)", Arity = ArgumentArity.ZeroOrOne };
        id.CompletionSources.Add(Completions.Executions);
        var force = new Option<bool>("--force") { Description = "Resume even though the workflow file changed since the execution ran" };
        var maxParallel = new Option<int?>("--max-parallel", "-j") { Description = "Most tasks running at once (default: the workflow's max_parallel, else the processor count)" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var grace = new Option<string>("--grace-period") { Description = "When stopped, how long tasks get after SIGTERM before SIGKILL (default 5s)", DefaultValueFactory = _ => "5s" };
        var command = new Command("resume", """
            Continue an execution that was interrupted (the process was killed, the machine went
            down) or that failed. Tasks that succeeded are not run again, and their outputs are
            restored; tasks that were running are run again, so tasks should be idempotent; a task
            marked "resumable": false fails the run instead of running twice. The execution keeps
            its id, its report and its logs.

            Examples:
              workflow resume 20261124T101500123Z-1a2b3c
              workflow run deploy --resume          the latest interrupted run of deploy

            Exit codes: as workflow run; 2 when there is nothing to resume, the execution still runs,
            or its workflow file changed (without --force); 3 when the state store cannot be used.
            """)
        {
            id, force, maxParallel, stateDir, grace,
        };
        command.SetAction((parse, _) =>
        {
            var chosen = parse.GetValue(id) ?? Choose(parse.GetValue(stateDir)!);
            if (chosen is null) return Task.FromResult(ExitCodes.InvalidInput);
            return RunCommand.RunAsync(new RunCommand.Request(
            null, false, parse.GetValue(maxParallel), false, [], parse.GetValue(stateDir)!, parse.GetValue(GlobalOptions.Config),
            parse.GetValue(GlobalOptions.Format), parse.GetValue(GlobalOptions.Verbose), parse.GetValue(GlobalOptions.Quiet))
        {
                ResumeId = chosen,
                Force = parse.GetValue(force),
                GracePeriod = parse.GetValue(grace)!,
            });
        });
        return command;
    }

    /// <summary>On a terminal, the user's pick among the executions that can be resumed (interrupted or failed); else null with why.</summary>
    private static string? Choose(string stateDir)
    {
        var error = Console.Error;
        if (StateStores.NothingRecorded(stateDir))
        {
            error.WriteLine("workflow: give an execution id; nothing is recorded here yet");
            return null;
        }
        using var store = StateStores.Open(stateDir);
        var resumable = store.History(new HistoryQuery { Limit = 50 })
            .Where(e => e.Status == "failed" || (e.Status == "running" && !StateStores.IsAlive(e) && !ExecutionProcesses.IsServed(e)))
            .Take(15).ToList();
        return Running.Prompting.ExecutionGivenOrChosen(null, resumable, error, r => r.Status == "running" ? "interrupted" : r.Status);
    }
}
