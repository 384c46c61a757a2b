namespace Pipeline.Engine.Taskfile;

/// <summary>
/// A task ready to run for one call: its variables resolved (with go-task's precedence), its directory,
/// and the environment its commands get on top of the process environment.
/// </summary>
internal sealed record CompiledTask(
    TaskfileEntry Entry,
    IReadOnlyDictionary<string, object?> Data,
    string Directory,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<string> SecretValues,
    IReadOnlyDictionary<string, object?> MaskedData)
{
    public string Name => Entry.Name;

    /// <summary>The name go-task prints: the task's <c>label:</c>, rendered, else its name.</summary>
    public required string Label { get; init; }
}
