using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Core.Reading;

namespace Pipeline.Core.Validation;

/// <summary>What every rule needs: the workflow, the ids that exist, and where to report.</summary>
internal sealed class ValidationContext
{
    public ValidationContext(WorkflowDefinition workflow, IReadOnlyCollection<string> brokenIds, DiagnosticBag diagnostics,
        IReadOnlyList<Reading.BrokenTaskReferences>? brokenReferences = null)
    {
        BrokenReferences = brokenReferences ?? Array.Empty<Reading.BrokenTaskReferences>();
        Workflow = workflow;
        Diagnostics = diagnostics;
        TasksById = new Dictionary<string, TaskDefinition>(StringComparer.Ordinal);
        foreach (var t in workflow.Tasks)
            if (!TasksById.ContainsKey(t.Id.Value)) TasksById.Add(t.Id.Value, t);
        KnownIds = new HashSet<string>(TasksById.Keys.Concat(brokenIds), StringComparer.Ordinal);
    }

    public WorkflowDefinition Workflow { get; }

    /// <summary>References of tasks the reader could not build (see <see cref="Reading.ReadResult.BrokenTaskReferences"/>).</summary>
    public IReadOnlyList<Reading.BrokenTaskReferences> BrokenReferences { get; }
    public DiagnosticBag Diagnostics { get; }
    public Dictionary<string, TaskDefinition> TasksById { get; }

    /// <summary>Ids of every task declared, including ones too broken to build (so they are not reported as unknown).</summary>
    public HashSet<string> KnownIds { get; }

    public string? Closest(string id) => Suggest.Closest(id, TasksById.Keys);

    public string UnknownHint(string id)
    {
        var suggestion = Closest(id);
        if (suggestion is not null) return $"did you mean '{suggestion}'?";
        var ids = TasksById.Keys.Take(12).ToList();
        return ids.Count == 0 ? "define a task with this id" : $"define a task with this id, or use one of: {string.Join(", ", ids)}{(TasksById.Count > 12 ? ", ..." : "")}";
    }
}
