namespace Pipeline.Engine.Taskfile;

/// <summary>
/// One request to run a task: from the command line, a dep, or a <c>task:</c> command. <see cref="Vars"/>
/// are already rendered in the caller's context; <see cref="From"/> is the caller's scope (names resolve
/// in its namespace). <see cref="Silent"/> is the call's own <c>silent:</c>, which go-task does not pass on.
/// </summary>
internal sealed record TaskCall(
    string Name,
    IReadOnlyDictionary<string, object?> Vars,
    bool Silent,
    TaskfileScope? From,
    string Role,
    string? Parent)
{
    /// <summary>Names of <see cref="Vars"/> the caller declared <c>secret: true</c>.</summary>
    public IReadOnlyCollection<string> SecretVars { get; init; } = [];

    public bool FromCommandLine => Role == "cli";
}
