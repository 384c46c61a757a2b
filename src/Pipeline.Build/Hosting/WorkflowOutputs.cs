using System.Collections.Concurrent;
using Pipeline.Core.Typed;
using Pipeline.Engine.Running;

namespace Pipeline.Build;

/// <summary>The outputs the workflow tasks of this build published, for targets that read them (values already masked).</summary>
internal sealed class WorkflowOutputs
{
    private readonly ConcurrentDictionary<(string Workflow, string Task), IReadOnlyDictionary<string, string>> _byTask = new();

    public void Record(string workflow, RunResult result)
    {
        foreach (var task in result.Tasks.Where(t => t.Role == "dag"))
            _byTask[(workflow, task.TaskId)] = task.Outputs;
    }

    public string Get(OutputHandle output)
    {
        var task = output.Task;
        if (!_byTask.TryGetValue((task.Workflow.Name, task.Id), out var outputs))
            throw new InvalidOperationException($"task '{task.Id}' of workflow '{task.Workflow.Name}' has not run in this build; make the target depend on it (DependsOn) to read its outputs");
        return outputs.TryGetValue(output.Name, out var value)
            ? value
            : throw new InvalidOperationException($"task '{task.Id}' of workflow '{task.Workflow.Name}' did not publish the output '{output.Name}'");
    }
}
