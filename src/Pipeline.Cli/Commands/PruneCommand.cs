using Pipeline.State;
using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow prune --older-than 30d</c>: forget old executions and delete their logs.</summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var olderThan = new Option<string>("--older-than") { Description = "Remove executions that finished longer ago than this: 12h, 30d, 8w, or a date", Required = true };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only say what would be removed" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("prune", $"""
            Remove recorded executions that finished before a time, with their report and logs.
            Executions still running are kept. workflow run applies a retention of
            {Retention.DefaultDays} days after each run (WORKFLOW_RETENTION_DAYS changes it; 0 keeps all).

            Examples:
              workflow prune --older-than 30d
              workflow prune --older-than 2026-10-01 --dry-run

            Exit codes: 0 done, 2 bad arguments or no state database, 3 the store cannot be used.
            """)
        {
            olderThan, dryRun, stateDir,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(olderThan)!;
            if (HistoryCommand.ParseSince(text, DateTimeOffset.UtcNow) is not { } before)
            {
                Console.Error.WriteLine($"workflow: --older-than \"{text}\" is neither a duration (12h, 30d, 8w) nor a date (2026-10-01)");
                return ExitCodes.InvalidInput;
            }
            var directory = parse.GetValue(stateDir)!;
            using var store = StateStores.OpenForReading(directory, Console.Error);
            if (store is null) return ExitCodes.InvalidInput;
            var dry = parse.GetValue(dryRun);
            var ids = Retention.Apply(store, directory, before, dry);
            Console.Out.WriteLine(ids.Count == 0
                ? $"Nothing finished before {StateText.Time(before)} UTC."
                : $"{(dry ? "Would remove" : "Removed")} {ids.Count} execution(s) that finished before {StateText.Time(before)} UTC, with their reports and logs.");
            return ExitCodes.Success;
        });
        return command;
    }
}
