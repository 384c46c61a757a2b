using System;
using System.Collections.Generic;
using Pipeline.Core.Model;

namespace Pipeline.Core.Typed;

/// <summary>
/// A workflow file as the source generator compiled it (<c>Workflows.Deploy.Workflow</c>): its name,
/// its file and its tasks, and for a workflow.json the whole definition, built from C# literals the
/// first time it is asked for (no parsing at run time). A Taskfile has no built definition: its
/// includes, dotenv files and <c>sh:</c> variables belong to the machine it runs on, so the Taskfile
/// runner reads it when it runs.
/// </summary>
public sealed class WorkflowHandle
{
    private readonly List<TaskHandle> _tasks = new();
    private readonly Lazy<WorkflowDefinition>? _definition;

    /// <param name="name">The workflow's name (the file's <c>name</c>; for a Taskfile, its class name).</param>
    /// <param name="file">The workflow file, relative to the project that compiled it, with '/' separators.</param>
    /// <param name="description">The file's description, if any.</param>
    /// <param name="format">workflow.json or Taskfile.</param>
    /// <param name="create">Builds the definition (null for a Taskfile).</param>
    public WorkflowHandle(string name, string file, string? description, WorkflowFormat format, Func<WorkflowDefinition>? create)
    {
        Name = name;
        File = file;
        Description = description;
        Format = format;
        if (create is not null) _definition = new Lazy<WorkflowDefinition>(create);
    }

    public string Name { get; }
    public string File { get; }
    public string? Description { get; }
    public WorkflowFormat Format { get; }

    /// <summary>Every task of the file, in file order.</summary>
    public IReadOnlyList<TaskHandle> Tasks => _tasks;

    /// <summary>The definition built from the generated literals; null for a Taskfile. Its <c>Path</c> is <see cref="File"/>.</summary>
    public WorkflowDefinition? Definition => _definition?.Value;

    /// <summary>The definition with its path made absolute against <paramref name="projectDirectory"/>, so relative <c>cwd</c> and script files resolve.</summary>
    public WorkflowDefinition? DefinitionIn(string projectDirectory) =>
        Definition is { } d ? d with { Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, File)) } : null;

    /// <summary>The absolute path of the file under <paramref name="projectDirectory"/>.</summary>
    public string PathIn(string projectDirectory) => System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, File));

    public TaskHandle? FindTask(string id)
    {
        foreach (var t in _tasks)
            if (t.Id == id) return t;
        return null;
    }

    internal void Add(TaskHandle task) => _tasks.Add(task);

    public override string ToString() => Name;
}
