using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Core.Model;

namespace Pipeline.Server.Files;

/// <summary>
/// A workflow's file_change trigger as `workflow serve` watches it: the folder (the workflow file's),
/// the globs in and out, the debounce window, polling or events, and the kinds of change that count.
/// <see cref="Signature"/> tells an unchanged trigger on reload, so its watch (and what it already
/// saw) is kept.
/// </summary>
public sealed record FileWatchEntry(string Workflow, int TriggerIndex, string Root, IReadOnlyList<string> Paths, IReadOnlyList<string> Ignore,
    TimeSpan Debounce, TimeSpan? Poll, IReadOnlySet<FileChangeKind> Kinds)
{
    /// <summary>Never watched unless a path glob names them: version control, build output, dependencies, the state directory.</summary>
    public static readonly string[] DefaultIgnore = [".git/**", "**/.git/**", "**/bin/**", "**/obj/**", "**/node_modules/**", ".workflow/**", "**/.workflow/**"];

    /// <summary>The default globs left out under <paramref name="root"/>, and the state directory when it lies inside it.</summary>
    public static List<string> IgnoredUnder(string root, string stateDirectory)
    {
        var ignore = DefaultIgnore.ToList();
        var state = Path.GetRelativePath(root, stateDirectory).Replace('\\', '/');
        if (!state.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(state)) ignore.Add(state + "/**");
        return ignore;
    }

    public string Key => $"{Workflow}#{TriggerIndex}";

    public string Signature => string.Join('|', Root, string.Join(',', Paths), string.Join(',', Ignore), Debounce.TotalMilliseconds, Poll?.TotalMilliseconds, string.Join(',', Kinds.Order()));

    /// <summary>A batch is closed after this long however busy the folder stays, so a folder that never goes quiet still starts runs.</summary>
    public TimeSpan MaxWait => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, Debounce.Ticks * 10));

    public Matcher Matcher()
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var p in Paths) matcher.AddInclude(Trim(p));
        foreach (var p in Ignore) matcher.AddExclude(Trim(p));
        return matcher;
    }

    private static string Trim(string glob) => glob.StartsWith("./", StringComparison.Ordinal) ? glob[2..] : glob.TrimEnd('/') + (glob.EndsWith('/') ? "/**" : "");

    /// <summary>The file_change triggers of a workflow, relative to its file's folder; <paramref name="stateDirectory"/> is ignored too when it lies inside.</summary>
    public static IEnumerable<FileWatchEntry> Of(WorkflowDefinition workflow, string stateDirectory)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(workflow.Path))!;
        var index = 0;
        foreach (var trigger in workflow.Triggers)
        {
            var i = index++;
            if (trigger is not FileChangeTrigger files) continue;
            var ignore = IgnoredUnder(root, stateDirectory);
            ignore.AddRange(files.Ignore.Select(g => g.Value));
            var kinds = files.Events.Count == 0
                ? new HashSet<FileChangeKind> { FileChangeKind.Added, FileChangeKind.Changed, FileChangeKind.Deleted }
                : files.Events.SelectMany(e => e.Value switch
                {
                    "created" => new[] { FileChangeKind.Added },
                    "changed" => [FileChangeKind.Changed],
                    "deleted" => [FileChangeKind.Deleted],
                    _ => [FileChangeKind.Added, FileChangeKind.Deleted], // renamed: gone under the old name, new under the new one
                }).ToHashSet();
            yield return new FileWatchEntry(workflow.Name.Value, i, root, files.Paths.Select(p => p.Value).ToList(), ignore,
                TimeSpan.FromMilliseconds(files.DebounceMs), files.PollMs is { } poll ? TimeSpan.FromMilliseconds(poll) : null, kinds);
        }
    }
}
