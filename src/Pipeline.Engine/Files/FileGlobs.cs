using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Engine.Files;

/// <summary>
/// Expands globs (Taskfile <c>sources:</c> / <c>generates:</c>, workflow <c>inputs</c> / <c>generates</c>) (<c>**</c> allowed) relative to the task's directory.
/// Entries apply in order, as in go-task: an exclude (<c>{exclude: glob}</c>, kept as <c>!glob</c>)
/// removes only what the globs before it matched. The result is sorted, absolute and de-duplicated.
/// </summary>
internal static class FileGlobs
{
    public static List<string> Expand(string directory, IEnumerable<string> globs)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var glob in globs)
        {
            var exclude = glob.StartsWith('!');
            var pattern = exclude ? glob[1..] : glob;
            foreach (var file in Match(directory, pattern))
                if (exclude) files.Remove(file);
                else files.Add(file);
        }
        return files.ToList();
    }

    /// <summary>Files one glob matches; an absolute glob is matched from its own root.</summary>
    public static IEnumerable<string> Match(string directory, string pattern)
    {
        var root = directory;
        if (Path.IsPathRooted(pattern))
        {
            root = Path.GetPathRoot(pattern)!;
            pattern = pattern[root.Length..];
        }
        if (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
        if (!pattern.Contains('*') && !pattern.Contains('?') && !pattern.Contains('['))
        {
            var exact = Path.GetFullPath(Path.Combine(root, pattern));
            return File.Exists(exact) ? [exact] : [];
        }
        if (!Directory.Exists(root)) return [];
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        return matcher.GetResultsInFullPath(root).Select(Path.GetFullPath);
    }
}
