namespace Pipeline.Engine.Processes;

/// <summary>Finds programs on PATH, so a missing interpreter is reported by name instead of as a start failure.</summary>
public static class Executables
{
    public static string? Find(string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        string? path = null;
        if (environment is not null && environment.TryGetValue("PATH", out var p)) path = p;
        path ??= Environment.GetEnvironmentVariable("PATH") ?? "";
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
