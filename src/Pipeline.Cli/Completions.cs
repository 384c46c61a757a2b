using System.CommandLine;
using System.CommandLine.Completions;
using Pipeline.Core.Loading;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>
/// What the shell completes (through System.CommandLine's <c>[suggest]</c> directive, which the
/// scripts of <c>workflow completion</c> call): workflow names and file stems found from the
/// repository's root, the task ids of the workflow already named, and recorded execution ids.
/// Each source is quiet when it cannot look (no store, unreadable files): completion must never fail.
/// </summary>
public static class Completions
{
    public static IEnumerable<CompletionItem> Workflows(CompletionContext context) => Named().Select(n => new CompletionItem(n.Name));

    /// <summary>For <c>workflow run &lt;workflow&gt; &lt;task&gt;</c>: after a workflow, its task ids (a Taskfile's tasks).</summary>
    public static IEnumerable<CompletionItem> WorkflowsThenTasks(CompletionContext context)
    {
        var words = context.ParseResult.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument).Select(t => t.Value).ToList();
        var named = Named().ToList();
        var given = words.Select(w => named.FirstOrDefault(n => n.Name.Equals(w, StringComparison.OrdinalIgnoreCase) || n.File == w)).FirstOrDefault(n => n.File is not null);
        if (given.File is null) return named.Select(n => new CompletionItem(n.Name));
        try
        {
            var workflow = WorkflowLoader.Load(given.File).Workflow;
            return workflow?.Tasks.Where(t => t.Owner is null).Select(t => new CompletionItem(t.Id.Value)) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public static IEnumerable<CompletionItem> Executions(CompletionContext context)
    {
        try
        {
            var directory = RepositoryRoot.DefaultStateDirectory();
            if (StateStores.NothingRecorded(directory)) return [];
            using var store = StateStores.Open(directory);
            return store.History(new HistoryQuery { Limit = 30 }).Select(e => new CompletionItem(e.Id, detail: $"{e.Workflow} {e.Status}"));
        }
        catch (StateStoreException) { return []; }
    }

    /// <summary>Workflow names (and file stems) with their files: here first, then from the repository's root.</summary>
    private static IEnumerable<(string Name, string File)> Named()
    {
        var files = FileDiscovery.Find([]).Files;
        if (RepositoryRoot.Find(".") is { } root) files.AddRange(FileDiscovery.Find([], root).Files);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            string? name;
            try { name = WorkflowLoader.Load(file).Workflow?.Name.Value; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (name is not null && seen.Add(name)) yield return (name, file);
        }
    }
}
