using System.Collections.Generic;

namespace Pipeline.Core.Typed;

/// <summary>
/// One task of a generated workflow (<c>Workflows.Deploy.PreBuild</c>): what a build target can
/// depend on or run, and, when the task declares outputs, typed handles to them.
/// </summary>
public class TaskHandle
{
    private readonly List<OutputHandle> _outputs = new();

    public TaskHandle(WorkflowHandle workflow, string id, string type, string? name, string? description)
    {
        Workflow = workflow;
        Id = id;
        Type = type;
        Name = name;
        Description = description;
        workflow.Add(this);
    }

    public WorkflowHandle Workflow { get; }
    public string Id { get; }

    /// <summary>The task type as written in the file (shell, http, ...; taskfile for a Taskfile task).</summary>
    public string Type { get; }
    public string? Name { get; }
    public string? Description { get; }
    public string DisplayName => Name ?? Id;
    public IReadOnlyList<OutputHandle> Outputs => _outputs;

    /// <summary>Declares one of the task's outputs; generated task classes call it for each.</summary>
    protected OutputHandle Output(string name, string? description)
    {
        var output = new OutputHandle(this, name, description);
        _outputs.Add(output);
        return output;
    }

    public override string ToString() => Workflow.Name + "/" + Id;
}
