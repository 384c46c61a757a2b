using System.CommandLine;
using Pipeline.Cli.Running;
using Pipeline.Core.Loading;
using Pipeline.Scheduling.Targets;
using Pipeline.State;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow delete &lt;workflow&gt;</c> (alias <c>rm</c>): removes the file and every place it is
/// scheduled (crontab lines, systemd units, Task Scheduler XML; <c>workflow serve</c> drops it when it
/// sees the file gone), and with <c>--purge-history</c> its recorded runs and logs. Asks first (on a
/// terminal); refuses while one of its runs is active.
/// </summary>
public static class DeleteCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "The workflow: its file, or its name among those `workflow validate` finds here (asked on a terminal when left out)", Arity = ArgumentArity.ZeroOrOne };
        workflow.CompletionSources.Add(Completions.Workflows);
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed without a terminal)" };
        var purge = new Option<bool>("--purge-history") { Description = "Also delete its recorded runs, their reports and logs" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("delete", """
            Deletes a workflow: its file, its crontab lines, systemd units and Task Scheduler XML, and
            with --purge-history its recorded runs (their reports and logs too). `workflow serve` stops
            serving it when it sees the file gone. Asks for confirmation on a terminal; without one,
            --yes is required. Refuses while a run of the workflow is active.

            Examples:
              workflow delete nightly-backup
              workflow rm workflows/old.workflow.json --yes --purge-history

            Exit codes: 0 deleted, 1 not confirmed, 2 no such workflow, a run is active, or no terminal without --yes.
            """)
        {
            workflow, yes, purge, stateDir,
        };
        command.Aliases.Add("rm");
        command.SetAction(parse =>
        {
            var error = Console.Error;
            var file = WorkflowInput.TryResolve(parse.GetValue(workflow), out var problem);
            if (file is null)
            {
                error.WriteLine(problem);
                return ExitCodes.InvalidInput;
            }
            var read = WorkflowLoader.Load(file);
            var name = read.Workflow?.Name.Value ?? Path.GetFileName(file);
            var directory = parse.GetValue(stateDir)!;
            if (!StateStores.NothingRecorded(directory))
            {
                using var store = StateStores.Open(directory);
                var active = store.History(new HistoryQuery { Workflow = name, Status = "running", Limit = int.MaxValue })
                    .Where(e => ExecutionProcesses.IsServed(e) || StateStores.IsAlive(e)).ToList();
                if (active.Count > 0)
                {
                    error.WriteLine($"workflow: {name} has {active.Count} run(s) going ({string.Join(", ", active.Select(e => e.Id))}); wait for them, or stop them first (Ctrl-C, or kill -TERM {active[0].Pid})");
                    return ExitCodes.InvalidInput;
                }
            }
            if (!parse.GetValue(yes))
            {
                if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
                {
                    error.WriteLine($"workflow: delete {file}? There is no terminal to ask; add --yes to delete it");
                    return ExitCodes.InvalidInput;
                }
                if (!AnsiConsole.Confirm($"Delete [bold]{Markup.Escape(name)}[/] ({Markup.Escape(file)}){(parse.GetValue(purge) ? " and its recorded runs" : "")}?", defaultValue: false))
                {
                    Console.Out.WriteLine("Nothing was deleted.");
                    return ExitCodes.WorkflowFailed;
                }
            }

            var full = Path.GetFullPath(file);
            var state = Path.GetFullPath(directory);
            if (ScheduleCommand.TryCrontab() is { } crontab && crontab.List().Any(e => e.WorkflowFile == full))
                ScheduleCommand.Remove(name, full, "cron", system: false, state);
            foreach (var system in new[] { false, true })
                if (File.Exists(Path.Combine(SystemdUnits.Folder(system), SystemdUnits.UnitName(name) + ".timer")))
                    ScheduleCommand.Remove(name, full, "systemd", system, state);
            if (File.Exists(ScheduleCommand.WindowsTaskFile(state, name))) ScheduleCommand.Remove(name, full, "windows", system: false, state);
            File.Delete(file);
            Console.Out.WriteLine($"workflow: deleted {file}");
            if (parse.GetValue(purge) && !StateStores.NothingRecorded(directory))
            {
                using var store = StateStores.Open(directory);
                var ids = store.DeleteWorkflow(name);
                Retention.DeleteFolders(directory, ids);
                Console.Out.WriteLine($"workflow: deleted {ids.Count} recorded run(s) of {name}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
