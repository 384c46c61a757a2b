using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>Writes a workflow to a temporary folder, checks it is valid, runs it and keeps every event.</summary>
public sealed class EngineHarness : IDisposable
{
    public EngineHarness() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "pipeline-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public List<RunEvent> Events { get; } = [];

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static ExecutionPlan Plan(string path)
    {
        var read = WorkflowLoader.Load(path);
        var diagnostics = WorkflowValidator.Validate(read);
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, "test workflow is invalid:\n" + string.Join("\n", errors.Select(e => e.ToCanonicalString())));
        return ExecutionPlan.Create(read.Workflow!);
    }

    /// <summary>Runs a workflow given as the JSON of its "tasks" array (and optional extra top-level fields).</summary>
    public Task<RunResult> RunTasks(string tasksJson, string extraFields = "", RunOptions? options = null, CancellationToken token = default)
    {
        var path = Write("test.workflow.json", $$"""
            {
              "name": "test",
              {{(extraFields.Length > 0 ? extraFields + "," : "")}}
              "tasks": {{tasksJson}}
            }
            """);
        return Run(path, options, token);
    }

    public Task<RunResult> Run(string path, RunOptions? options = null, CancellationToken token = default)
    {
        var observer = new Recorder(Events);
        options ??= new RunOptions();
        options = options with { Observers = [observer, .. options.Observers] };
        return new WorkflowEngine().RunAsync(Plan(path), options, token);
    }

    public IEnumerable<string> Lines(string instanceId) =>
        Events.OfType<TaskOutput>().Where(o => o.InstanceId == instanceId && o.Stream == OutputStream.Stdout).Select(o => o.Line);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private sealed class Recorder(List<RunEvent> events) : IRunObserver
    {
        public void OnEvent(RunEvent e)
        {
            lock (events) events.Add(e);
        }
    }
}

public static class ResultExtensions
{
    public static TaskResult Task(this RunResult run, string instanceId) =>
        run.Tasks.SingleOrDefault(t => t.InstanceId == instanceId) ?? throw new Xunit.Sdk.XunitException(
            $"no task instance '{instanceId}'; the run has: {string.Join(", ", run.Tasks.Select(t => t.InstanceId))}");
}
