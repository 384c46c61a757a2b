using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using Pipeline.Server.Files;
using Pipeline.Server.Schedules;
using Pipeline.Server.Webhooks;

namespace Pipeline.Server.Hosting;

/// <summary>
/// The workflows `workflow serve` serves: every valid <c>*.workflow.json</c> under its directory
/// (bin, obj, .git, node_modules and state folders skipped), and the webhook routes their triggers
/// declare. A file with errors is reported in the canonical form and left out.
/// Reloading after an edit keeps the last good version of a file that now has errors.
/// </summary>
public sealed class WorkflowCatalog
{
    /// <summary>Each file's last good definition, for reloads.</summary>
    private readonly Dictionary<string, WorkflowDefinition> _byFile = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git", ".workflow", ".task" };

    private readonly Dictionary<string, WorkflowDefinition> _workflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebhookRoute> _routes = new(StringComparer.Ordinal);
    private readonly List<ScheduleEntry> _schedules = [];
    private readonly List<FileWatchEntry> _fileWatches = [];

    public IReadOnlyDictionary<string, WorkflowDefinition> Workflows => _workflows;
    public IReadOnlyDictionary<string, WebhookRoute> Routes => _routes;

    /// <summary>The schedule triggers to run (one a scheduler cannot run exactly as written is reported and left out).</summary>
    public IReadOnlyList<ScheduleEntry> Schedules => _schedules;

    /// <summary>The file_change triggers to watch.</summary>
    public IReadOnlyList<FileWatchEntry> FileWatches => _fileWatches;

    /// <param name="report">Where each problem goes, one line each (file(line,col): error WF…: message).</param>
    /// <param name="stateDirectory">Left out of every file_change trigger's watch.</param>
    public static WorkflowCatalog Load(string directory, Action<string> report, WorkflowCatalog? previous = null, string? stateDirectory = null)
    {
        var catalog = new WorkflowCatalog();
        foreach (var file in Files(directory))
        {
            var read = WorkflowLoader.Load(file);
            var errors = WorkflowValidator.Validate(read).Where(d => d.Severity == Severity.Error).ToList();
            foreach (var e in errors) report(e.ToCanonicalString());
            WorkflowDefinition? workflow = errors.Count == 0 ? read.Workflow : null;
            if (workflow is null && previous is not null && previous._byFile.TryGetValue(file, out var lastGood))
            {
                report($"{file}: keeps running its last good version until the errors above are fixed");
                workflow = lastGood;
            }
            if (workflow is null) continue;
            catalog._byFile[file] = workflow;
            var name = workflow.Name.Value;
            if (!catalog._workflows.TryAdd(name, workflow))
            {
                report($"{file}: not served: another file is already the workflow \"{name}\"");
                continue;
            }
            catalog._schedules.AddRange(ScheduleEntry.Of(workflow, report));
            catalog._fileWatches.AddRange(FileWatchEntry.Of(workflow, stateDirectory ?? Path.Combine(directory, Pipeline.State.StateLocation.DefaultDirectory)));
            foreach (var hook in workflow.Triggers.OfType<WebhookTrigger>())
            {
                var path = WebhookRoute.Normalize(hook.Path?.Value ?? name);
                // config.secret names one of the workflow's secrets (the validator checks it); its value comes from that secret's environment variable.
                var variable = hook.Secret is { } secret ? workflow.Secrets.FirstOrDefault(s => s.Name.Value == secret.Value)?.From ?? secret.Value : null;
                if (!catalog._routes.TryAdd(path, new WebhookRoute(path, name, variable)))
                    report($"{file}: webhook /hooks/{path} is already served for workflow \"{catalog._routes[path].Workflow}\"; this one is left out");
            }
        }
        return catalog;
    }

    private static IEnumerable<string> Files(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.workflow.json").Order(StringComparer.Ordinal)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            if (!Skipped.Contains(Path.GetFileName(sub)))
                foreach (var file in Files(sub)) yield return file;
    }
}
