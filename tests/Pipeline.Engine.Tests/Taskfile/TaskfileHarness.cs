using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;
using Pipeline.Engine.Taskfile;

namespace Pipeline.Engine.Tests.Taskfile;

/// <summary>Writes a Taskfile to a temporary folder, checks it validates, runs tasks of it and keeps every event.</summary>
public sealed class TaskfileHarness : IDisposable
{
    public TaskfileHarness() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "pipeline-taskfile-" + Guid.NewGuid().ToString("N")[..8]);

    public List<RunEvent> Events { get; } = [];

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public TaskfileProject Load(string taskfile = "Taskfile.yml")
    {
        var read = WorkflowLoader.Load(Path.Combine(Folder, taskfile));
        var errors = WorkflowValidator.Validate(read).Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, "test Taskfile is invalid:\n" + string.Join("\n", errors.Select(e => e.ToCanonicalString())));
        return TaskfileProject.Load(read.Taskfile!);
    }

    public async Task<TaskfileRunResult> Run(string yaml, params string[] tasks) => await Run(yaml, new TaskfileRunOptions(), tasks);

    public async Task<TaskfileRunResult> Run(string yaml, TaskfileRunOptions options, params string[] tasks)
    {
        Write("Taskfile.yml", yaml);
        return await RunAgain(options, tasks);
    }

    /// <summary>Runs the Taskfile already written (a second run sees the first one's checksums).</summary>
    public Task<TaskfileRunResult> RunAgain(TaskfileRunOptions options, params string[] tasks)
    {
        Events.Clear();
        var recorder = new Recorder(Events);
        var runner = new TaskfileRunner(Load(), options with { Observers = [recorder, .. options.Observers] });
        return runner.RunAsync(tasks.Length == 0 ? ["default"] : tasks, CancellationToken.None);
    }

    /// <summary>Lines the tasks printed on stdout, in order.</summary>
    public List<string> Stdout => Events.OfType<TaskOutput>().Where(o => o.Stream == OutputStream.Stdout).Select(o => o.Line).ToList();

    /// <summary>What the runner said: command echoes, "is up to date", ignored errors.</summary>
    public List<string> Messages => Events.OfType<TaskMessage>().Where(m => !m.Verbose).Select(m => m.Text).ToList();

    public TaskResult Result(string instance) => Events.OfType<TaskFinished>().Select(f => f.Result).Single(r => r.InstanceId == instance);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    private sealed class Recorder(List<RunEvent> events) : IRunObserver
    {
        public void OnEvent(RunEvent e)
        {
            lock (events) events.Add(e);
        }
    }
}
