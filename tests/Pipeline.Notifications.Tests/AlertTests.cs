using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.Notifications.Delivery;
using Pipeline.Notifications.Messages;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Notifications.Tests;

/// <summary>Alert rules judged from a real store's history, throttled and resolved on an injected clock.</summary>
public sealed class AlertTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly HttpStandIn _http = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-alerts-").FullName;
    private readonly SqliteStateStore _store;
    private readonly FakeTimeProvider _clock = new(T0);
    private int _runs;

    public AlertTests()
    {
        _store = SqliteStateStore.Open(Path.Combine(_folder, "state.db"));
        DeliveryPolicy.ResetBreakers();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _http.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private WorkflowDefinition Workflow(string alerts) => NotificationTests.Load(_folder, $$"""
        { "name": "deploy", "tasks": [ { "id": "migrate", "type": "shell", "command": "true" } ],
          "notifications": { "webhook": { "url": "{{_http.Url}}/alerts" }, "alerts": {{alerts}} } }
        """);

    /// <summary>Records a finished run (and its one task) at the clock's time, then notifies for it; returns the events sent.</summary>
    private async Task<List<string>> RunAndNotify(WorkflowDefinition workflow, bool succeeded, TimeSpan? took = null)
    {
        var id = $"run-{++_runs}";
        var start = _clock.GetUtcNow();
        var end = start + (took ?? TimeSpan.FromSeconds(10));
        var status = succeeded ? "succeeded" : "failed";
        _store.ExecutionStarted(new ExecutionRecord { Id = id, Workflow = "deploy", Status = "running", StartedAt = start });
        _store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "migrate", TaskId = "migrate", Status = status, StartedAt = start, FinishedAt = end, Attempts = 1,
            Error = succeeded ? null : "exited with code 3" }, []);
        _store.ExecutionFinished(id, status, end, succeeded ? null : "task 'migrate' failed");
        var run = new RunResult
        {
            ExecutionId = id, Workflow = "deploy", File = "deploy.workflow.json", Status = succeeded ? RunStatus.Succeeded : RunStatus.Failed,
            StartedAt = start, FinishedAt = end, CriticalPathTaken = [], Error = succeeded ? null : "task 'migrate' failed",
            Tasks = [new TaskResult { InstanceId = "migrate", TaskId = "migrate", TaskType = "shell", State = succeeded ? TaskState.Succeeded : TaskState.Failed, StartedAt = start, FinishedAt = end }],
        };
        var before = _http.To("/alerts").Count;
        var notifier = new RunNotifier(new NotifierOptions { Clock = _clock, Console = TextWriter.Null });
        var outcomes = await notifier.NotifyAsync(new RunScope { Workflow = workflow }, run, _store);
        Assert.All(outcomes, o => Assert.True(o.Delivered, o.Error));
        return _http.To("/alerts").Skip(before).Select(r => r.Headers["X-Pipeline-Event"]).ToList();
    }

    private string LastText() => JsonDocument.Parse(_http.To("/alerts")[^1].Body).RootElement.GetProperty("text").GetString()!;

    [Fact]
    public async Task A_failure_rate_alert_is_sent_once_per_throttle_window_then_resolved_once()
    {
        var workflow = Workflow("""{ "failure_rate": { "threshold": 0.5, "window": "1h", "min_runs": 4 }, "duration": false, "task_failures": false, "throttle": "30m" }""");
        Assert.Empty(await RunAndNotify(workflow, succeeded: true));
        for (var i = 0; i < 2; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Empty(await RunAndNotify(workflow, succeeded: false)); // 3 runs: below min_runs
        }
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["alert:failure_rate"], await RunAndNotify(workflow, succeeded: false));
        Assert.Equal("Alert for deploy: 3 of 4 runs failed in the last 1h00m (75%; the threshold is 50%)", LastText());

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await RunAndNotify(workflow, succeeded: false)); // still firing, inside the window: held back
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await RunAndNotify(workflow, succeeded: false));

        _clock.Advance(TimeSpan.FromMinutes(25)); // 35 minutes since it was sent
        Assert.Equal(["alert:failure_rate"], await RunAndNotify(workflow, succeeded: false));
        Assert.Contains("(still firing; 2 repeat(s) held back", LastText());

        _clock.Advance(TimeSpan.FromHours(2)); // the failures leave the window
        Assert.Equal(["resolved:failure_rate"], await RunAndNotify(workflow, succeeded: true));
        Assert.StartsWith("Resolved for deploy: 0 of 1 runs failed in the last 1h00m", LastText());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await RunAndNotify(workflow, succeeded: true));
    }

    [Fact]
    public async Task A_task_failing_several_times_in_a_row_raises_its_own_alert()
    {
        var workflow = Workflow("""{ "failure_rate": false, "duration": false, "task_failures": { "in_a_row": 3 } }""");
        Assert.Empty(await RunAndNotify(workflow, succeeded: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await RunAndNotify(workflow, succeeded: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["alert:task_failures:migrate"], await RunAndNotify(workflow, succeeded: false));
        Assert.Equal("Alert for deploy: task migrate failed in each of its last 3 runs (last: exited with code 3)", LastText());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["resolved:task_failures:migrate"], await RunAndNotify(workflow, succeeded: true));
    }

    [Fact]
    public async Task A_run_much_slower_than_its_recorded_p95_raises_a_duration_alert()
    {
        var workflow = Workflow("""{ "failure_rate": false, "task_failures": false, "duration": { "factor": 2, "min_runs": 5 } }""");
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Empty(await RunAndNotify(workflow, succeeded: true, TimeSpan.FromSeconds(10 + i)));
        }
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["alert:duration"], await RunAndNotify(workflow, succeeded: true, TimeSpan.FromSeconds(60)));
        Assert.Contains("took 1m00s; more than 2 × the p95 of 5 successful runs (14.0s)", LastText());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["resolved:duration"], await RunAndNotify(workflow, succeeded: true, TimeSpan.FromSeconds(12)));
    }
}
