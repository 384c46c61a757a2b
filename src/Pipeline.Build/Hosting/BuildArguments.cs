namespace Pipeline.Build.Hosting;

/// <summary>
/// The build's command line: names to run (<c>test pack</c> or <c>test+pack</c>), the host's options,
/// and everything else as parameters (<c>--configuration Release</c>, <c>--configuration=Release</c>,
/// a bare <c>--flag</c>).
/// </summary>
internal sealed record BuildArguments
{
    public List<string> Names { get; } = [];

    /// <summary><c>NAME=value</c> words: Taskfile variables, as on go-task's command line.</summary>
    public Dictionary<string, string> TaskfileVariables { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);
    public bool Help { get; private set; }
    public bool Plan { get; private set; }
    public bool DryRun { get; private set; }
    public bool List { get; private set; }
    public bool Verbose { get; private set; }

    /// <summary>Skip what succeeded in the last attempt, when it had the same arguments.</summary>
    public bool Continue { get; private set; }

    /// <summary>The arguments that define an attempt (all but --continue and --state-dir), for <see cref="Continue"/>.</summary>
    public string Invocation { get; private set; } = "";
    public int? MaxParallel { get; private set; }

    /// <summary>Where runs are recorded (as <c>workflow --state-dir</c>): <c>.workflow</c> in the current directory by default.</summary>
    public string StateDirectory { get; private set; } = Pipeline.State.StateLocation.DefaultDirectory;

    /// <summary>Names given to --skip; empty with <see cref="SkipAll"/> when --skip came alone.</summary>
    public List<string> Skip { get; } = [];

    /// <summary>A bare <c>--skip</c>: skip every target that was not named on the command line.</summary>
    public bool SkipAll { get; private set; }

    /// <exception cref="UsageException">A malformed option.</exception>
    public static BuildArguments Parse(IReadOnlyList<string> args)
    {
        var result = new BuildArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Count && !args[i + 1].StartsWith('-') ? args[++i] : null;
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    result.Help = true;
                    break;
                case "--plan":
                    result.Plan = true;
                    break;
                case "-n" or "--dry-run":
                    result.DryRun = true;
                    break;
                case "--list":
                    result.List = true;
                    break;
                case "-v" or "--verbose":
                    result.Verbose = true;
                    break;
                case "--continue":
                    result.Continue = true;
                    break;
                case "-j" or "--max-parallel":
                    var text = Value();
                    if (!int.TryParse(text, out var n) || n < 1)
                        throw new UsageException($"{arg} needs a number of at least 1{(text is null ? "" : $", not \"{text}\"")}", "--max-parallel 4");
                    result.MaxParallel = n;
                    break;
                case "--state-dir":
                    result.StateDirectory = Value() ?? throw new UsageException($"{arg} needs a directory", "--state-dir .workflow");
                    break;
                case "--skip":
                    if (Value() is { } skip) result.Skip.AddRange(Split(skip));
                    else result.SkipAll = true;
                    break;
                case "--target" or "-t":
                    result.Names.AddRange(Split(Value() ?? throw new UsageException($"{arg} needs a target name", "--target compile")));
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
                    {
                        var equals = arg.IndexOf('=');
                        if (equals > 0) result.Parameters[arg[2..equals]] = arg[(equals + 1)..];
                        else result.Parameters[arg[2..]] = Value() ?? "";
                    }
                    else if (arg.StartsWith('-') && arg.Length > 1)
                        throw new UsageException($"unknown option {arg}", "run with --help for the targets, workflows and parameters");
                    else if (Pipeline.Engine.Taskfile.TaskfileCommandLine.IsVariable(arg)) result.TaskfileVariables[arg[..arg.IndexOf('=')]] = arg[(arg.IndexOf('=') + 1)..];
                    else result.Names.AddRange(Split(arg));
                    break;
            }
        }
        // Where runs are recorded does not change what runs: an attempt is the same without it.
        var defining = args.Where((a, i) => a != "--continue" && a != "--state-dir" && (i == 0 || args[i - 1] != "--state-dir"));
        result.Invocation = string.Join('\u001f', defining);
        return result;
    }

    private static IEnumerable<string> Split(string names) =>
        names.Split(['+', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A mistake on the command line or in the build's graph: reported with a hint, exit code 2.</summary>
internal sealed class UsageException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}
