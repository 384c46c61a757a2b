using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The tool's commands, by the names that invoke them. Each command builds its options, help text
/// and validators when it is created, so a run builds only the command it runs; the whole tree is
/// built when the first word names no command (help, a mistyped command's suggestions, options
/// before the command) and for <c>completion</c>, which lists every command.
/// </summary>
public static class CommandTable
{
    /// <param name="afterSeparator">The words after <c>--</c> (a Taskfile's CLI_ARGS, for <c>run</c>).</param>
    public static IReadOnlyList<(string[] Names, Func<Command> Create)> All(string[] afterSeparator) =>
    [
        (["validate"], ValidateCommand.Create),
        (["run"], () => RunCommand.Create(afterSeparator)),
        (["graph"], GraphCommand.Create),
        (["history"], HistoryCommand.Create),
        (["status"], StatusCommand.Create),
        (["resume"], ResumeCommand.Create),
        (["prune"], PruneCommand.Create),
        (["health"], HealthCommand.Create),
        (["monitor"], MonitorCommand.Create),
        (["ps"], MonitorCommand.CreatePs),
        (["schedule"], ScheduleCommand.Create),
        (["serve"], ServeCommand.Create),
        (["notify"], NotifyCommand.Create),
        (["list", "ls"], ListCommand.Create),
        (["doctor"], DoctorCommand.Create),
        (["delete", "rm"], DeleteCommand.Create),
        (["create"], CreateCommand.Create),
        (["generate"], GenerateCommand.Create),
        (["ci"], CiCommand.Create),
        (["cache"], CacheCommand.Create),
        (["completion"], CompletionCommand.Create),
    ];

    /// <summary>The commands to build for these arguments: the one the first word names, else all of them.</summary>
    public static IEnumerable<Command> For(string[] args, string[] afterSeparator)
    {
        var all = All(afterSeparator);
        var first = args.Length > 0 ? args[0] : null;
        foreach (var (names, create) in all)
            if (first is not null && first != "completion" && names.Contains(first))
                return [create()];
        return all.Select(c => c.Create());
    }
}
