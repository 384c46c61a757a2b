namespace Pipeline.Engine.Processes;

/// <summary>Finds programs on PATH, so a missing interpreter is reported by name instead of as a start failure.</summary>
public static class Executables
{
    // Found programs by (PATH, name): a run of thousands of tasks would otherwise stat every PATH folder each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> Found = new();

    public static string? Find(string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        string? path = null;
        if (environment is not null && environment.TryGetValue("PATH", out var p)) path = p;
        path ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        if (Found.TryGetValue((path, name), out var known) && File.Exists(known)) return known;
        var found = Search(name, path);
        if (found is not null) Found[(path, name)] = found;
        return found;
    }

    private static string? Search(string name, string path)
    {
        var extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';')
            : [""];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var ext in extensions)
            {
                var candidate = Path.Combine(dir, name + ext);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
