using Pipeline.Core.Loading;

namespace Pipeline.Engine.Taskfile;

/// <summary>go-task's lookup of the Taskfile to run: its file names, in the current directory and then its parents.</summary>
public static class TaskfileFinder
{
    /// <summary>The first Taskfile found in <paramref name="directory"/> or an ancestor; null when there is none.</summary>
    public static string? Find(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            // Ordinal file-name match, so a case-insensitive file system does not return "taskfile.yml" for "Taskfile.yml" twice.
            var names = dir.Exists ? dir.EnumerateFiles().Select(f => f.Name).ToHashSet(StringComparer.Ordinal) : [];
            foreach (var name in WorkflowFiles.TaskfileNames)
                if (names.Contains(name)) return Path.Combine(dir.FullName, name);
        }
        return null;
    }
}
