namespace Pipeline.Core.Typed;

/// <summary>An output a task declares (<c>Workflows.Deploy.Build.Version</c>).</summary>
public sealed class OutputHandle
{
    public OutputHandle(TaskHandle task, string name, string? description)
    {
        Task = task;
        Name = name;
        Description = description;
    }

    public TaskHandle Task { get; }
    public string Name { get; }
    public string? Description { get; }

    /// <summary>How a later task reads it: <c>${tasks.build.outputs.version}</c>.</summary>
    public string Expression => "${tasks." + Task.Id + ".outputs." + Name + "}";

    public override string ToString() => Expression;
}
