namespace Pipeline.Build;

/// <summary>What a target's action gets: cancellation (timeout, Ctrl-C), its log, and where the build project is.</summary>
public sealed class TargetContext
{
    private readonly Action<string> _log;

    internal TargetContext(string target, string projectDirectory, CancellationToken cancellationToken, Action<string> log)
    {
        Target = target;
        ProjectDirectory = projectDirectory;
        CancellationToken = cancellationToken;
        _log = log;
    }

    public string Target { get; }

    /// <summary>The build project's folder (where its .csproj is).</summary>
    public string ProjectDirectory { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>Writes a line to the target's output; secrets are masked.</summary>
    public void Log(string line) => _log(line);
}
