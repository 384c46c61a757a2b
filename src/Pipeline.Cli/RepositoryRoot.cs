namespace Pipeline.Cli;

/// <summary>
/// The repository a command runs in: the nearest folder, from the current one up, that holds
/// <c>.git</c>, <c>.workflow-config.json</c> or a solution (<c>*.sln</c>, <c>*.slnx</c>). Workflow
/// names resolve against the files found from there, and runs are recorded in its
/// <c>.workflow/</c> (one state directory per repository) unless <c>--state-dir</c> says otherwise.
/// Outside any repository, the current folder plays its part.
/// </summary>
public static class RepositoryRoot
{
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            try
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))
                    || File.Exists(Path.Combine(dir.FullName, CliConfig.DefaultFileName))
                    || HasSolution(dir))
                    return dir.FullName;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }
        return null;
    }

    /// <summary>One pass over the folder for both kinds of solution: each pass reads every entry (thousands in a temp folder).</summary>
    private static bool HasSolution(DirectoryInfo dir)
    {
        foreach (var f in dir.EnumerateFiles("*.sln*"))
            if (f.Name.EndsWith(".sln", StringComparison.Ordinal) || f.Name.EndsWith(".slnx", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The default state directory: the repository's <c>.workflow</c> (as a path relative to here when it can be), else <c>.workflow</c> here.</summary>
    public static string DefaultStateDirectory()
    {
        var root = Find(".");
        if (root is null) return ".workflow";
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(root, ".workflow"));
        return relative;
    }
}
