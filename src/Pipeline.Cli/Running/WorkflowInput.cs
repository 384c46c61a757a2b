using Pipeline.Cli.Output;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;

namespace Pipeline.Cli.Running;

/// <summary>
/// Finds, reads and validates the one workflow a command works on. The argument is a file, or the
/// name of a workflow (its "name" or its file name without extension) among the files
/// <c>workflow validate</c> finds by default. Problems are printed as diagnostics.
/// </summary>
public static class WorkflowInput
{
    public static WorkflowDefinition? Load(string? argument, FileInfo? configFile, bool verbose, TextWriter error)
    {
        var general = new List<Diagnostic>();
        var config = CliConfig.Load(configFile, general);
        foreach (var d in general) TextReporter.WriteDiagnostic(error, d, null);
        if (general.Any(d => d.Severity == Severity.Error)) return null;

        var path = Resolve(argument, error);
        if (path is null) return null;
        var read = WorkflowLoader.Load(path);
        var diagnostics = WorkflowValidator.Validate(read)
            .Select(config.Apply).Where(d => d is not null).Select(d => d!).ToList();
        foreach (var d in diagnostics)
            if (d.Severity != Severity.Info || verbose) TextReporter.WriteDiagnostic(error, d, read.Document);
        if (diagnostics.Any(d => d.Severity == Severity.Error) || read.Workflow is null)
        {
            error.WriteLine($"{path}: not run: fix the errors above (workflow validate {path} checks the file)");
            return null;
        }
        return read.Workflow;
    }

    private static string? Resolve(string? argument, TextWriter error)
    {
        var path = TryResolve(argument, out var problem);
        if (path is null) error.WriteLine(problem);
        return path;
    }

    /// <summary>The workflow file an argument means (a path, a file stem or a workflow name); null and why when there is none.</summary>
    public static string? TryResolve(string? argument, out string problem)
    {
        problem = "";
        if (argument is not null && File.Exists(argument)) return argument;
        if (argument is not null && Directory.Exists(argument))
        {
            problem = $"{argument}: is a directory; give a workflow file or a workflow name";
            return null;
        }
        var (files, _) = FileDiscovery.Find([]);
        var candidates = files.Where(f => WorkflowFiles.IsWorkflow(WorkflowFiles.KindOf(f))).ToList();
        if (argument is null)
        {
            if (candidates.Count == 1) return candidates[0];
            // On a terminal, ask which one (seed §10.3); without one, say which there are.
            if (candidates.Count > 1 && Prompting.Possible)
            {
                var byName = candidates.GroupBy(f => WorkflowLoader.Load(f).Workflow?.Name.Value ?? Stem(f)).ToDictionary(g => g.Key, g => g.First());
                return byName[Prompting.Choose("Which workflow?", byName.Keys.Order(StringComparer.Ordinal).ToList())];
            }
            problem = candidates.Count == 0
                ? "workflow: no workflow file found here; give a path (workflow run path/to/x.workflow.json)"
                : $"workflow: several workflows here; name one: {string.Join(", ", candidates.Select(Stem))}";
            return null;
        }
        if (Named(argument, candidates, out var names) is { } here) return here;
        // Not here: the files `validate` finds from the repository's root.
        if (RepositoryRoot.Find(".") is { } root && Path.GetFullPath(root) != Directory.GetCurrentDirectory())
        {
            var fromRoot = FileDiscovery.Find([], root).Files.Where(f => WorkflowFiles.IsWorkflow(WorkflowFiles.KindOf(f))).ToList();
            if (Named(argument, fromRoot, out var more) is { } found) return found;
            names.AddRange(more.Where(n => !names.Contains(n)));
        }
        var close = Core.Suggest.Closest(argument, names);
        problem = $"{argument}(1,1): error WF1006: no such file, and no workflow of that name in this repository" +
            (close is not null ? $"; did you mean '{close}'?" : "") +
            (names.Count > 0 ? $" (workflows found: {string.Join(", ", names)})" : "");
        return null;
    }

    /// <summary>The file among <paramref name="candidates"/> whose stem or workflow name is <paramref name="argument"/>; every name seen.</summary>
    private static string? Named(string argument, IReadOnlyList<string> candidates, out List<string> names)
    {
        names = [];
        foreach (var f in candidates)
        {
            if (Stem(f).Equals(argument, StringComparison.OrdinalIgnoreCase)) return f;
            var read = WorkflowLoader.Load(f);
            if (read.Workflow?.Name.Value.Equals(argument, StringComparison.OrdinalIgnoreCase) == true) return f;
            names.Add(read.Workflow?.Name.Value ?? Stem(f));
        }
        return null;
    }

    private static string Stem(string file)
    {
        var name = Path.GetFileName(file);
        foreach (var suffix in new[] { ".workflow.json", ".workflow.yml", ".workflow.yaml" })
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
        return Path.GetFileNameWithoutExtension(name);
    }
}
