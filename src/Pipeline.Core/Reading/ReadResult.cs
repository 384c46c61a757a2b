using System.Collections.Generic;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>
/// What a reader produced from one file: the workflow (null when the file could not be understood at
/// all), the diagnostics so far, and the ids of tasks that were declared but could not be built
/// (unknown type, missing fields), so that references to them are not reported a second time.
/// </summary>
public sealed class ReadResult
{
    public ReadResult(SourceDocument? document, WorkflowDefinition? workflow, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyCollection<string>? brokenTaskIds = null,
        Taskfile.TaskfileDocument? taskfile = null, IReadOnlyList<BrokenTaskReferences>? brokenTaskReferences = null)
    {
        BrokenTaskReferences = brokenTaskReferences ?? new List<BrokenTaskReferences>();
        Taskfile = taskfile;
        Document = document;
        Workflow = workflow;
        Diagnostics = diagnostics;
        BrokenTaskIds = brokenTaskIds ?? new HashSet<string>();
    }

    public SourceDocument? Document { get; }
    public WorkflowDefinition? Workflow { get; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
    public IReadOnlyCollection<string> BrokenTaskIds { get; }

    /// <summary>
    /// What the broken tasks refer to: checked like any task's references, so that one error (an
    /// unknown type) does not hide the others, as a compiler reports every independent error.
    /// </summary>
    public IReadOnlyList<BrokenTaskReferences> BrokenTaskReferences { get; }

    /// <summary>The go-task construct when the file was a Taskfile (its own rules run on it).</summary>
    public Taskfile.TaskfileDocument? Taskfile { get; }
}

/// <summary>The task references of a task that could not be built (unknown type, missing fields).</summary>
public sealed record BrokenTaskReferences(string Id, IReadOnlyList<TaskRef> DependsOn, IReadOnlyList<TaskRef> OnSuccess, IReadOnlyList<TaskRef> OnFailure);
