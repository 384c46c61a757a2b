using Pipeline.Core.Expressions;
using Pipeline.Engine.Running;
using Pipeline.Server.Hosting;
using Pipeline.Server.Runs;
using Pipeline.State;

namespace Pipeline.Server.Tests;

/// <summary>
/// A workflow's concurrency policy applies to the runs `workflow serve` starts, per concurrency group:
/// real runs of the engine (shell tasks that wait for a file), recorded in a real SQLite store.
/// </summary>
public sealed class ServedConcurrencyTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-served-").FullName;
    private RelationalStateStore _store = null!;
    private WorkflowRunStarter _starter = null!;
    private WorkflowCatalog _catalog = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    public Task InitializeAsync()
    {
        _store = SqliteStateStore.Open(Path.Combine(_dir, ".workflow", "state.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        File.WriteAllText(Path.Combine(_dir, "go-all"), "");
        if (_starter is not null) await _starter.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A workflow whose one task writes "&lt;name&gt;.started" and waits until "go-&lt;name&gt;" (or "go-all") exists.</summary>
    private void Serve(string concurrency)
    {
        File.WriteAllText(Path.Combine(_dir, "hold.workflow.json"), $$"""
            { "name": "hold", "concurrency": {{concurrency}},
              "tasks": [{ "id": "wait", "type": "shell",
                "command": "touch \"$NAME.started\"; while [ ! -f \"go-$NAME\" ] && [ ! -f go-all ]; do sleep 0.05; done",
                "env": { "NAME": "${trigger.payload.name}" } }] }
            """);
        var problems = new List<string>();
        _catalog = WorkflowCatalog.Load(_dir, problems.Add);
        Assert.Empty(problems);
        _starter = new WorkflowRunStarter(() => _catalog, _store, Path.Combine(_dir, ".workflow"), TimeSpan.FromSeconds(5),
            new TriggerClaims(_store, TimeProvider.System, TriggerClaims.DefaultWindow)) { Log = _log.Enqueue };
    }

    private async Task<string> Start(string name, string? branch = null)
    {
        var payload = Evaluator.FromJson($$"""{ "name": "{{name}}", "ref": "{{branch ?? "main"}}" }""");
        var run = await _starter.StartAsync(new RunRequest("hold", "webhook", new TriggerDetails { Payload = payload }), CancellationToken.None);
        return run.ExecutionId;
    }

    private async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what + ": " + string.Join(", ", _store.History(new HistoryQuery()).Select(e => $"{e.Id[..8]} {e.Status} {e.Error}")));
            await Task.Delay(50);
        }
    }

    private bool Started(string name) => File.Exists(Path.Combine(_dir, name + ".started"));
    private string? Status(string id) => _store.Find(id)?.Execution.Status;
    private void Go(string name) => File.WriteAllText(Path.Combine(_dir, "go-" + name), "");

    [Fact]
    public async Task Skip_records_a_run_that_arrives_while_one_runs_as_skipped()
    {
        Serve("\"skip\"");
        var first = await Start("a");
        await Until(() => Started("a"), "a started");
        var second = await Start("b");
        await Until(() => Status(second) == "skipped", "b recorded as skipped");
        Assert.Contains("concurrency: skip", _store.Find(second)!.Execution.Error);
        await Until(() => _log.Contains($"execution {second} of 'hold' skipped (concurrency: Skip)"), "the skip logged");
        Go("a");
        await Until(() => Status(first) == "succeeded" && _starter.Running == 0, "a finished");
        Assert.False(Started("b"));
        var third = await Start("c"); // nothing runs now: it runs
        Go("c");
        await Until(() => Status(third) == "succeeded", "c succeeded");
    }

    [Fact]
    public async Task Queue_runs_the_waiting_ones_after_the_running_one_in_arrival_order()
    {
        Serve("\"queue\"");
        var a = await Start("a");
        await Until(() => Started("a"), "a started");
        var b = await Start("b");
        await Until(() => Status(b) == "queued", "b recorded as queued");
        var c = await Start("c");
        await Until(() => Status(c) == "queued", "c recorded as queued");
        Assert.False(Started("b"), string.Join(", ", _store.History(new HistoryQuery()).Select(e => $"{e.Id[..8]} {e.Status} {e.Error}")));
        Go("b"); Go("c");
        Go("a");
        await Until(() => Status(c) == "succeeded", "c succeeded");
        var runs = new[] { a, b, c }.Select(id => _store.Find(id)!.Execution).ToList();
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status));
        Assert.True(runs[1].StartedAt >= runs[0].FinishedAt, "b started after a finished");
        Assert.True(runs[2].StartedAt >= runs[1].FinishedAt, "c started after b finished");
    }

    [Fact]
    public async Task Cancel_previous_stops_the_running_one_and_runs_the_new_one()
    {
        Serve("\"cancel-previous\"");
        var a = await Start("a");
        await Until(() => Started("a"), "a started");
        var b = await Start("b");
        await Until(() => Started("b"), "b started");
        Assert.Equal("cancelled", Status(a));
        Go("b");
        await Until(() => Status(b) == "succeeded", "b succeeded");
    }

    [Fact]
    public async Task A_concurrency_group_keeps_runs_of_different_branches_apart()
    {
        Serve("""{ "policy": "queue", "group": "${trigger.payload.ref}" }""");
        var main1 = await Start("main1", "main");
        var dev = await Start("dev", "dev");
        await Until(() => Started("main1") && Started("dev"), "main1 and dev running side by side");
        var main2 = await Start("main2", "main");
        await Until(() => Status(main2) == "queued", "main2 queued behind main1");
        Assert.Equal(("main", "dev"), (_store.Find(main1)!.Execution.ConcurrencyGroup, _store.Find(dev)!.Execution.ConcurrencyGroup));
        Go("main2"); Go("dev"); Go("main1");
        await Until(() => Status(main2) == "succeeded" && Status(dev) == "succeeded", "all succeeded");
    }
}
