using Pipeline.Engine.Running;
using Pipeline.Notifications;
using Pipeline.Server.Hosting;
using Pipeline.Server.Runs;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Server.Tests;

/// <summary>The runs `workflow serve` starts send their notifications, recorded in the store and logged.</summary>
public sealed class ServedNotificationTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-served-notify-").FullName;
    private readonly HttpStandIn _http = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private RelationalStateStore _store = null!;
    private WorkflowRunStarter _starter = null!;

    public Task InitializeAsync()
    {
        _store = SqliteStateStore.Open(Path.Combine(_dir, ".workflow", "state.db"));
        File.WriteAllText(Path.Combine(_dir, "hook.workflow.json"), $$"""
            { "name": "hook", "tasks": [{ "id": "work", "type": "shell", "command": "echo working; exit 5" }],
              "notifications": { "on_failure": true, "webhook": { "url": "{{_http.Url}}/served" } } }
            """);
        var problems = new List<string>();
        var catalog = WorkflowCatalog.Load(_dir, problems.Add);
        Assert.Empty(problems);
        _starter = new WorkflowRunStarter(() => catalog, _store, Path.Combine(_dir, ".workflow"), TimeSpan.FromSeconds(5),
            new TriggerClaims(_store, TimeProvider.System, TriggerClaims.DefaultWindow))
        {
            Log = _log.Enqueue,
            Notifier = new RunNotifier(new NotifierOptions { Console = TextWriter.Null }),
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _starter.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _store.Dispose();
        await _http.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_served_run_that_fails_is_reported_on_its_channels()
    {
        var run = await _starter.StartAsync(new RunRequest("hook", "webhook", new TriggerDetails()), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_log.Contains($"execution {run.ExecutionId}: notified webhook (failure)"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no notification: " + string.Join(" | ", _log));
            await Task.Delay(50);
        }
        var received = Assert.Single(_http.To("/served"));
        Assert.Contains(run.ExecutionId, received.Body);
        Assert.Equal("webhook", System.Text.Json.JsonDocument.Parse(received.Body).RootElement.GetProperty("trigger").GetString());
        var delivery = Assert.Single(_store.Find(run.ExecutionId)!.Deliveries);
        Assert.Equal(("webhook", "failure", "delivered"), (delivery.Channel, delivery.Event, delivery.Status));
    }
}
