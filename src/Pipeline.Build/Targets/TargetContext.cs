namespace Pipeline.Build;

/// <summary>What a target's action gets: cancellation (timeout, Ctrl-C), its log, and where the build project is.</summary>
public sealed class TargetContext
{
    private readonly Action<string> _log;

    private readonly WorkflowOutputs _outputs;

    internal TargetContext(string target, string projectDirectory, CancellationToken cancellationToken, Action<string> log, WorkflowOutputs outputs)
    {
        _outputs = outputs;
        Target = target;
        ProjectDirectory = projectDirectory;
        CancellationToken = cancellationToken;
        _log = log;
    }

    public string Target { get; }

    /// <summary>The build project's folder (where its .csproj is).</summary>
    public string ProjectDirectory { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The value a workflow task published in this build (<c>c.Output(Workflows.Deploy.Package.Version)</c>).
    /// The target must depend on the task or its workflow, so the value exists when the target runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The task has not run in this build, or did not publish that output.</exception>
    public string Output(Pipeline.Core.Typed.OutputHandle output) => _outputs.Get(output);

    /// <summary>Writes a line to the target's output; secrets are masked.</summary>
    public void Log(string line) => _log(line);

    /// <summary>Runs a program (arguments passed as they are, no shell) in the project folder; see <see cref="RunAsync(string, IEnumerable{string}, string?, IReadOnlyDictionary{string, string?}?)"/>.</summary>
    public Task RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, null, null);

    /// <summary>
    /// Runs a program the way the engine runs a task: its output goes to this target's log, its whole
    /// process group is killed on timeout or Ctrl-C, and a non-zero exit code fails the target.
    /// </summary>
    public async Task RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var args = arguments.ToList();
        var path = Pipeline.Engine.Processes.Executables.Find(program)
            ?? throw new InvalidOperationException($"'{program}' was not found on PATH; install it or put it on PATH");
        var spec = new Pipeline.Engine.Processes.ProcessSpec(path, args, workingDirectory ?? ProjectDirectory, environment ?? new Dictionary<string, string?>());
        var outcome = await Pipeline.Engine.Processes.ProcessRunner.RunAsync(spec, (_, line) => Log(line), CancellationToken).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with code {outcome.ExitCode}");
    }
}
