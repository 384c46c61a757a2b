using Pipeline.Core.Loading;

namespace Pipeline.Cli;

/// <summary>Finds workflow files: the given files, every workflow file under given directories, or the default patterns.</summary>
public static class FileDiscovery
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git", ".workflow", ".task" };

    /// <summary>Files to validate, in a stable order, and the paths that do not exist.</summary>
    /// <param name="paths">Files and folders; none means the default patterns.</param>
    /// <param name="baseDirectory">Where the default patterns are looked for (default: here); paths found are given relative to here.</param>
    public static (List<string> Files, List<string> Missing) Find(IReadOnlyList<string> paths, string? baseDirectory = null)
    {
        var files = new List<string>();
        var missing = new List<string>();
        if (paths.Count == 0)
        {
            var root = baseDirectory is null ? "." : Path.GetRelativePath(Directory.GetCurrentDirectory(), baseDirectory);
            var workflows = Path.Combine(root, "workflows");
            if (Directory.Exists(workflows)) files.AddRange(Walk(workflows).Where(f => WorkflowFiles.IsWorkflow(WorkflowFiles.KindOf(f)) && !IsPlainWorkflowYml(f)));
            files.AddRange(Directory.EnumerateFiles(root, "*.workflow.json").Concat(Directory.EnumerateFiles(root, "*.workflow.yml")).OrderBy(f => f, StringComparer.Ordinal));
            foreach (var name in new[] { "workflow.yml", "Taskfile.yml" })
                if (File.Exists(Path.Combine(root, name))) files.Add(Path.Combine(root, name));
        }
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path)) files.AddRange(Walk(path).Where(f => WorkflowFiles.KindOf(f) != WorkflowFileKind.None));
            else missing.Add(path);
        }
        return (files.Select(Normalize).Distinct(StringComparer.Ordinal).ToList(), missing);
    }

    /// <summary>workflow.yml counts only at the top (as Taskfile.yml does); inside workflows/ the files are named *.workflow.*.</summary>
    private static bool IsPlainWorkflowYml(string path) => Path.GetFileName(path) is var n && (n.Equals("workflow.yml", StringComparison.OrdinalIgnoreCase) || n.Equals("workflow.yaml", StringComparison.OrdinalIgnoreCase));

    private static string Normalize(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path.Substring(2) : path;

    private static IEnumerable<string> Walk(string directory)
    {
        IEnumerable<string> files, directories;
        try
        {
            files = Directory.EnumerateFiles(directory).OrderBy(f => f, StringComparer.Ordinal).ToList();
            directories = Directory.EnumerateDirectories(directory).OrderBy(d => d, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var f in files) yield return f;
        foreach (var d in directories)
        {
            if (SkippedDirectories.Contains(Path.GetFileName(d))) continue;
            foreach (var f in Walk(d)) yield return f;
        }
    }
}
