namespace Pipeline.Cli.Creating;

/// <summary>
/// One task of a workflow being created: its id, type, the fields its type needs (in the order they
/// are written), what it depends on, a timeout and a number of attempts.
/// </summary>
public sealed record TaskDraft(string Id, string Type)
{
    /// <summary>Type-specific fields (command, url, image, …) as the user gave them; written as strings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>A duration as the file takes it ("90", "10m", "1h"); null for no timeout.</summary>
    public string? Timeout { get; init; }

    /// <summary>Attempts in all (2 = one retry); 1 or less writes no retry.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The task types the wizard asks about, with the field each needs first. Compound types
    /// (conditional, parallel, loop) nest other tasks and are written in the file itself.</summary>
    public static IReadOnlyList<(string Type, string Field, string Question, string Example)> Types { get; } =
    [
        ("shell", "command", "Command to run", "dotnet build -c Release"),
        ("http", "url", "URL to call", "https://example.com/healthz"),
        ("docker", "image", "Image to run", "alpine:3.20"),
        ("javascript", "script", "JavaScript to run (inline; or file=path with --task)", "console.log('hello')"),
        ("python", "script", "Python to run (inline; or file=path with --task)", "print('hello')"),
        ("sql", "connection", "Connection string (a ${secrets.NAME} keeps it out of the file)", "${secrets.DATABASE_URL}"),
    ];

    /// <summary>Keys a <c>--task</c> spec may carry beyond id, type, depends_on, timeout and retry.</summary>
    public static IReadOnlyDictionary<string, string[]> FieldsByType { get; } = new Dictionary<string, string[]>
    {
        ["shell"] = ["command", "cwd"],
        ["http"] = ["url", "method"],
        ["docker"] = ["image", "command"],
        ["javascript"] = ["script", "file"],
        ["python"] = ["script", "file"],
        ["sql"] = ["connection", "query", "file", "migrations"],
    };

    /// <summary>
    /// Reads <c>--task</c>'s value: comma-separated <c>key=value</c> pairs, a value in double quotes may
    /// hold commas, e.g. <c>id=test,command="dotnet test -c Release",depends_on=build+lint,timeout=30m,retry=2</c>.
    /// The type defaults to shell. Returns null with the problem in <paramref name="error"/>.
    /// </summary>
    public static TaskDraft? Parse(string spec, out string? error)
    {
        error = null;
        var pairs = SplitPairs(spec, out error);
        if (pairs is null) return null;
        string? id = null, type = null, timeout = null;
        var attempts = 1;
        List<string> needs = [];
        List<KeyValuePair<string, string>> fields = [];
        foreach (var (key, value) in pairs)
        {
            switch (key)
            {
                case "id": id = value; break;
                case "type": type = value; break;
                case "depends_on": needs.AddRange(value.Split(['+', ' '], StringSplitOptions.RemoveEmptyEntries)); break;
                case "timeout": timeout = value; break;
                case "retry" when int.TryParse(value, out var n) && n >= 0: attempts = n + 1; break;
                case "retry": error = $"retry=\"{value}\" is not a number of retries (e.g. retry=2)"; return null;
                default: fields.Add(new(key, value)); break;
            }
        }
        if (id is null)
        {
            error = $"--task \"{spec}\" has no id (e.g. id=build,command=\"dotnet build\")";
            return null;
        }
        type ??= "shell";
        if (!FieldsByType.TryGetValue(type, out var allowed))
        {
            error = $"task {id}: type \"{type}\" is not one the wizard writes ({string.Join(", ", FieldsByType.Keys)}); conditional, parallel and loop tasks are written in the file";
            return null;
        }
        if (fields.FirstOrDefault(f => !allowed.Contains(f.Key)) is { Key: not null } unknown)
        {
            error = $"task {id}: \"{unknown.Key}\" is not a field of a {type} task here; use {string.Join(", ", allowed.Concat(["id", "type", "depends_on", "timeout", "retry"]))}";
            return null;
        }
        if (Missing(type, fields.Select(f => f.Key).ToHashSet()) is { } need)
        {
            error = $"task {id}: a {type} task needs {need}";
            return null;
        }
        return new TaskDraft(id, type) { Fields = fields, DependsOn = needs, Timeout = timeout, Attempts = attempts };
    }

    /// <summary>What a task of this type still needs, given the fields it has; null when it has enough.</summary>
    public static string? Missing(string type, IReadOnlySet<string> has) => type switch
    {
        "shell" when !has.Contains("command") => "command=… (e.g. command=\"dotnet build\")",
        "http" when !has.Contains("url") => "url=… (e.g. url=https://example.com/healthz)",
        "docker" when !has.Contains("image") => "image=… (e.g. image=alpine:3.20)",
        "javascript" or "python" when !has.Contains("script") && !has.Contains("file") => "script=… (inline code) or file=… (a path)",
        "sql" when !has.Contains("connection") => "connection=… (e.g. connection=\"${secrets.DATABASE_URL}\")",
        "sql" when !has.Contains("query") && !has.Contains("file") && !has.Contains("migrations") => "query=…, file=… or migrations=…",
        _ => null,
    };

    private static List<(string Key, string Value)>? SplitPairs(string spec, out string? error)
    {
        error = null;
        var pairs = new List<(string, string)>();
        var i = 0;
        while (i < spec.Length)
        {
            var eq = spec.IndexOf('=', i);
            if (eq < 0)
            {
                error = $"--task \"{spec}\": \"{spec[i..]}\" is not key=value";
                return null;
            }
            var key = spec[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < spec.Length && spec[i] == '"')
            {
                var close = spec.IndexOf('"', i + 1);
                if (close < 0)
                {
                    error = $"--task \"{spec}\": the quote after {key}= is not closed";
                    return null;
                }
                value = spec[(i + 1)..close];
                i = close + 1;
                if (i < spec.Length && spec[i] != ',')
                {
                    error = $"--task \"{spec}\": a comma must follow the quoted value of {key}";
                    return null;
                }
            }
            else
            {
                var comma = spec.IndexOf(',', i);
                value = (comma < 0 ? spec[i..] : spec[i..comma]).Trim();
                i = comma < 0 ? spec.Length : comma;
            }
            pairs.Add((key, value));
            i++; // past the comma
        }
        return pairs;
    }
}
