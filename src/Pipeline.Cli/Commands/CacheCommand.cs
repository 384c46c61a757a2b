using System.CommandLine;
using Pipeline.Engine.Caching;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow cache</c>: what the task cache holds, and pruning it to a size or an age.</summary>
public static class CacheCommand
{
    public static Command Create()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "The state folder whose cache/ is meant (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory(), Recursive = true };
        var cacheDir = new Option<string?>("--cache-dir") { Description = $"The cache folder itself (default: ${TaskCache.DirectoryVariable}, else <state-dir>/cache)", Recursive = true };
        TaskCache Open(ParseResult parse) =>
            parse.GetValue(cacheDir) is { Length: > 0 } dir ? new TaskCache(dir) : TaskCache.ForStateDirectory(parse.GetValue(stateDir)!);

        var command = new Command("cache", $"""
            The task cache: results of tasks that list "inputs", kept by a key made of the task's
            definition, its env, the contents of its inputs and the keys of the tasks it depends on.
            workflow run restores a task whose key has an entry (outputs, "generates" files, log)
            instead of running it. The cache is <state-dir>/cache, or ${TaskCache.DirectoryVariable} (a folder
            several checkouts or CI runs may share: entries are written atomically).

            Examples:
              workflow cache                       (where it is, how many entries, how big)
              workflow cache prune --max-size 2GB  (least recently used entries go first)
              workflow cache prune --older-than 14d
              workflow cache clear

            Exit codes: 0 done, 2 bad arguments.
            """)
        {
            stateDir, cacheDir,
        };
        command.SetAction(parse =>
        {
            var cache = Open(parse);
            var entries = cache.Entries();
            Console.Out.WriteLine($"Cache: {cache.Directory}");
            Console.Out.WriteLine(entries.Count == 0
                ? "No entries."
                : $"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}, {ByteSize.Format(entries.Sum(e => e.Bytes))}; last used {StateText.Time(new DateTimeOffset(entries[^1].LastUsed, TimeSpan.Zero))} UTC, least recently {StateText.Time(new DateTimeOffset(entries[0].LastUsed, TimeSpan.Zero))} UTC");
            return ExitCodes.Success;
        });

        var maxSize = new Option<string?>("--max-size") { Description = "Keep at most this much: 2GB, 500MB, 1.5GiB (least recently used entries go first)" };
        var olderThan = new Option<string?>("--older-than") { Description = "Remove entries unused for longer than this: 12h, 14d, 8w" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only say what would be removed" };
        var prune = new Command("prune", "Remove least recently used entries down to --max-size, and entries unused for longer than --older-than.")
        {
            maxSize, olderThan, dryRun,
        };
        prune.SetAction(parse =>
        {
            long? max = null;
            if (parse.GetValue(maxSize) is { } sizeText && (max = ByteSize.Parse(sizeText)) is null)
            {
                Console.Error.WriteLine($"workflow: --max-size \"{sizeText}\" is not a size such as 2GB, 500MB or 1.5GiB");
                return ExitCodes.InvalidInput;
            }
            TimeSpan? age = null;
            if (parse.GetValue(olderThan) is { } ageText)
            {
                var now = DateTimeOffset.UtcNow;
                if (HistoryCommand.ParseSince(ageText, now) is not { } before)
                {
                    Console.Error.WriteLine($"workflow: --older-than \"{ageText}\" is not a duration such as 12h, 14d or 8w");
                    return ExitCodes.InvalidInput;
                }
                age = now - before;
            }
            if (max is null && age is null)
            {
                Console.Error.WriteLine("workflow: cache prune needs --max-size, --older-than or both (workflow cache clear removes everything)");
                return ExitCodes.InvalidInput;
            }
            var dry = parse.GetValue(dryRun);
            var result = Open(parse).Prune(max, age, dry);
            Console.Out.WriteLine($"{(dry ? "Would remove" : "Removed")} {result.Removed} entr{(result.Removed == 1 ? "y" : "ies")} ({ByteSize.Format(result.RemovedBytes)}); "
                + $"{result.Left} left ({ByteSize.Format(result.LeftBytes)}).");
            return ExitCodes.Success;
        });

        var clear = new Command("clear", "Remove every entry of the cache.");
        clear.SetAction(parse =>
        {
            var result = Open(parse).Clear();
            Console.Out.WriteLine($"Removed {result.Removed} entr{(result.Removed == 1 ? "y" : "ies")} ({ByteSize.Format(result.RemovedBytes)}).");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(prune);
        command.Subcommands.Add(clear);
        return command;
    }
}
