using Pipeline.Core.Loading;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;

namespace Pipeline.State.Tests;

/// <summary>
/// What every store must do, run against each real database: <see cref="SqliteStoreContract"/>
/// and <see cref="PostgresStoreContract"/>. Runs go through the real engine and recorder.
/// </summary>
public abstract class StoreContract : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-contract-").FullName;

    protected StoreContract(StoreBackend backend) => Backend = backend;

    protected StoreBackend Backend { get; }

    public void Dispose()
    {
        Backend.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<RunResult> Run(IStateStore store, string json, string name = "w.workflow.json")
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllText(file, json);
        var definition = WorkflowLoader.Load(file).Workflow!;
        using var report = new RunReportWriter(Path.Combine(_folder, ".workflow"));
        var recorder = new StateRecorder(store, new RunContext { ContentHash = "abc", Parameters = new Dictionary<string, string> { ["STAGE"] = "test" }, LogPath = report.LogPath });
        var result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(definition), new RunOptions { Observers = [recorder, report] });
        Assert.Null(recorder.Error);
        return result;
    }

    private static ExecutionRecord Running(string id, string workflow = "w", DateTimeOffset? at = null) =>
        new() { Id = id, Workflow = workflow, Status = "running", StartedAt = at ?? DateTimeOffset.UtcNow, Pid = 1234, Host = "here" };

    [Fact]
    public void Estimates_read_only_each_task_s_latest_successes()
    {
        using var store = Backend.Open();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 30; i++)
        {
            var id = $"e{i:00}";
            var at = start.AddSeconds(i * 10);
            store.ExecutionStarted(Running(id, at: at));
            // build takes i seconds; test always 1 s but fails in every third run; other workflows do not count
            store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "build", TaskId = "build", Status = "succeeded", StartedAt = at, FinishedAt = at.AddSeconds(i), Attempts = 1 }, []);
            store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "test", TaskId = "test", Status = i % 3 == 0 ? "failed" : "succeeded", StartedAt = at, FinishedAt = at.AddSeconds(1), Attempts = 1 }, []);
            store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "cb", TaskId = "cb", Role = "on_failure", Status = "succeeded", StartedAt = at, FinishedAt = at.AddSeconds(99), Attempts = 1 }, []);
            store.ExecutionFinished(id, "succeeded", at.AddSeconds(i), null);
        }
        store.ExecutionStarted(Running("other", workflow: "other"));
        store.TaskFinished(new TaskRunRecord { ExecutionId = "other", InstanceId = "build", TaskId = "build", Status = "succeeded", StartedAt = start, FinishedAt = start.AddSeconds(500), Attempts = 1 }, []);

        var recent = store.RecentSuccessDurations("w", 5);
        Assert.Equal(["build", "test"], recent.Keys.Order());
        Assert.Equal([25, 26, 27, 28, 29], recent["build"].Select(d => (int)d.TotalSeconds).Order());
        Assert.Equal(5, recent["test"].Count);
        Assert.All(recent["test"], d => Assert.Equal(1, (int)d.TotalSeconds));
        Assert.Empty(store.RecentSuccessDurations("nothing", 5));
    }

    [Fact]
    public void A_new_store_is_migrated_to_the_latest_schema_and_reopening_keeps_it()
    {
        using (var store = Backend.Open()) Assert.Equal(Schema.Latest, store.SchemaVersion);
        using var again = Backend.Open();
        Assert.Equal(Schema.Latest, again.SchemaVersion);
        Assert.True(Backend.IntegrityCheck());
    }

    [Fact]
    public void A_store_at_schema_1_is_brought_to_the_latest_version_keeping_its_rows()
    {
        Backend.Sql(Schema.Migrations[0]);
        Backend.SetVersion(1);
        Backend.Sql("INSERT INTO executions (id, workflow, file, content_hash, trigger, status, started_at) VALUES ('old-1', 'legacy', 'old.json', 'h1', 'manual', 'succeeded', '2026-01-01T00:00:00.0000000Z')");
        Backend.Sql("INSERT INTO executions (id, workflow, file, content_hash, trigger, status, started_at) VALUES ('old-2', 'legacy', 'new.json', 'h2', 'manual', 'failed', '2026-02-01T00:00:00.0000000Z')");
        using var store = Backend.Open();
        Assert.Equal(Schema.Latest, store.SchemaVersion);
        var old = store.Find("old-1")!.Execution;
        Assert.Equal(("legacy", "succeeded", (int?)null), (old.Workflow, old.Status, old.Pid));
        // Schema 3 fills the workflows table from the executions already there: the latest run's file and hash.
        var legacy = Assert.Single(store.Workflows());
        Assert.Equal(("legacy", "new.json", "h2"), (legacy.Name, legacy.File, legacy.ContentHash));
        Assert.Equal((new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), (legacy.FirstRunAt, legacy.LastRunAt));
    }

    [Fact]
    public void Workflows_that_ran_are_kept_with_their_latest_definition_and_survive_pruning()
    {
        using var store = Backend.Open();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        store.ExecutionStarted(Running("b-1", "build", start) with { File = "build.json", ContentHash = "v1" });
        store.ExecutionStarted(Running("d-1", "deploy", start.AddHours(1)) with { ContentHash = "d1" });
        store.ExecutionStarted(Running("b-2", "build", start.AddDays(1)) with { File = "build.json", ContentHash = "v2" });
        store.ExecutionStarted(Running("b-1", "build", start) with { File = "build.json", ContentHash = "v1-forced" }); // b-1 resumed: older, so not the latest definition
        var workflows = store.Workflows();
        Assert.Equal(["build", "deploy"], workflows.Select(w => w.Name));
        Assert.Equal(("v2", start, start.AddDays(1)), (workflows[0].ContentHash, workflows[0].FirstRunAt, workflows[0].LastRunAt));

        foreach (var id in new[] { "b-1", "d-1", "b-2" }) store.ExecutionFinished(id, "succeeded", start.AddDays(2), null);
        Assert.Equal(3, store.Prune(start.AddDays(3)).Count);
        Assert.Equal(2, store.Workflows().Count);
    }

    [Fact]
    public void Alert_states_are_kept_per_workflow_and_rule()
    {
        using var store = Backend.Open();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Empty(store.Alerts("deploy"));
        store.SaveAlert(new AlertState("deploy", "failure_rate", true, at, at, 0, "3 of 4 runs failed"));
        store.SaveAlert(new AlertState("deploy", "duration", false, at, null, 0, null));
        store.SaveAlert(new AlertState("deploy", "failure_rate", true, at, at, 2, "4 of 5 runs failed"));
        using var other = Backend.Open();
        Assert.Equal([new AlertState("deploy", "duration", false, at, null, 0, null), new AlertState("deploy", "failure_rate", true, at, at, 2, "4 of 5 runs failed")],
            other.Alerts("deploy"));
        Assert.Empty(other.Alerts("build"));
    }

    [Fact]
    public void Notification_deliveries_are_stored_per_channel_and_event_and_go_with_their_execution()
    {
        using var store = Backend.Open();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        store.ExecutionStarted(Running("n-1", at: at));
        for (var i = 0; i < 3; i++)
            store.NotificationAttempted(new NotificationAttempt("n-1", "email", "failure", "failed", at.AddSeconds(i), 12, "connection refused by 127.0.0.1:8025"));
        store.NotificationAttempted(new NotificationAttempt("n-1", "slack", "failure", "delivered", at.AddSeconds(1), 40, null));
        // The run is resumed and notifies again: the email's attempts follow the first three.
        store.NotificationAttempted(new NotificationAttempt("n-1", "email", "failure", "delivered", at.AddMinutes(5), 8, null));

        var detail = store.Find("n-1")!;
        Assert.Equal([1, 2, 3, 4], detail.NotificationAttempts.Where(a => a.Channel == "email").Select(a => a.Number));
        Assert.Equal(["failed", "failed", "failed", "delivered"], detail.NotificationAttempts.Where(a => a.Channel == "email").Select(a => a.Status));
        var deliveries = detail.Deliveries;
        Assert.Equal(["slack", "email"], deliveries.Select(d => d.Channel));
        Assert.Equal(("delivered", 4, at.AddMinutes(5), (string?)null), (deliveries[1].Status, deliveries[1].Attempts, deliveries[1].SentAt, deliveries[1].Error));

        store.ExecutionFinished("n-1", "failed", at.AddMinutes(6), "boom");
        Assert.Single(store.Prune(at.AddDays(1)));
        Assert.Equal(0, Backend.Count("SELECT count(*) FROM notification_deliveries"));
        Assert.True(Backend.IntegrityCheck());
        using var other = Backend.Open();
        Assert.Null(other.Find("n-1"));
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused_not_damaged()
    {
        using (Backend.Open()) { }
        Backend.SetVersion(Schema.Latest + 5);
        var error = Assert.Throws<StateStoreException>(() => Backend.Open());
        Assert.Contains("newer Pipeline", error.Message);
    }

    [Fact]
    public async Task A_run_is_recorded_with_its_tasks_attempts_outputs_and_logs()
    {
        using var store = Backend.Open();
        var result = await Run(store, """
            { "name": "rec", "version": "1.2", "tasks": [
              { "id": "out", "type": "shell", "command": "echo v=7 >> \"$WORKFLOW_OUTPUT\"; echo hello" },
              { "id": "flaky", "type": "shell", "command": "echo nope >&2; exit 3", "retry": { "attempts": 2, "delay": 10 }, "depends_on": ["out"] }
            ] }
            """);
        var detail = store.Find(result.ExecutionId)!;
        var e = detail.Execution;
        Assert.Equal(("rec", "1.2", "failed", "abc", "{\"STAGE\":\"test\"}"), (e.Workflow, e.Version, e.Status, e.ContentHash, e.Parameters));
        Assert.Equal(result.StartedAt.UtcDateTime, e.StartedAt.UtcDateTime);
        Assert.Equal((Environment.ProcessId, Environment.MachineName), (e.Pid, e.Host));
        Assert.Contains("flaky", e.Error);

        var output = detail.Tasks.Single(t => t.TaskId == "out");
        Assert.Equal(("succeeded", 0, "{\"v\":\"7\"}", "hello"), (output.Status, output.ExitCode, output.Outputs, output.OutputExcerpt));
        Assert.EndsWith("logs/out.stdout.log", output.StdoutLog);
        var flaky = detail.Tasks.Single(t => t.TaskId == "flaky");
        Assert.Equal(("failed", 2, 3), (flaky.Status, flaky.Attempts, flaky.ExitCode));
        Assert.Equal([1, 2], detail.Attempts.Where(a => a.InstanceId == "flaky").Select(a => a.Number));
        Assert.All(detail.Attempts.Where(a => a.InstanceId == "flaky"), a => Assert.Contains("exited with code 3", a.Error));
        Assert.Equal(["out", "flaky"], store.TaskSamples("rec", null).Select(s => s.TaskId));
        Assert.Empty(store.TaskSamples("rec", DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Empty(store.TaskSamples("other", null));
    }

    [Fact]
    public void A_running_task_keeps_its_process_and_start_time_for_resume()
    {
        using var store = Backend.Open();
        var at = DateTimeOffset.UtcNow;
        store.ExecutionStarted(new ExecutionRecord { Id = "e1", Workflow = "w", Trigger = "manual", Status = "running", StartedAt = at });
        store.TaskStarted("e1", "slow", "slow", "dag", 1, at);
        store.TaskProcess("e1", "slow", 4242, "boot:123");
        var slow = store.Find("e1")!.Tasks.Single();
        Assert.Equal(("running", 4242, "boot:123"), (slow.Status, slow.ProcessId, slow.ProcessStart));
    }

    [Fact]
    public async Task History_filters_by_workflow_status_and_time_newest_first_with_a_limit()
    {
        using var store = Backend.Open();
        var ok = """{ "name": "a", "tasks": [{ "id": "t", "type": "shell", "command": "true" }] }""";
        var bad = """{ "name": "b", "tasks": [{ "id": "t", "type": "shell", "command": "false" }] }""";
        var first = await Run(store, ok, "a.workflow.json");
        var second = await Run(store, bad, "b.workflow.json");
        var third = await Run(store, ok, "a.workflow.json");

        Assert.Equal([third.ExecutionId, second.ExecutionId, first.ExecutionId], store.History(new HistoryQuery()).Select(e => e.Id));
        Assert.Equal([third.ExecutionId, first.ExecutionId], store.History(new HistoryQuery { Workflow = "a" }).Select(e => e.Id));
        Assert.Equal([second.ExecutionId], store.History(new HistoryQuery { Status = "failed" }).Select(e => e.Id));
        Assert.Equal([third.ExecutionId], store.History(new HistoryQuery { Limit = 1 }).Select(e => e.Id));
        Assert.Empty(store.History(new HistoryQuery { Since = DateTimeOffset.UtcNow.AddMinutes(1) }));
    }

    [Fact]
    public async Task An_execution_is_found_by_a_unique_prefix_of_its_id_only()
    {
        using var store = Backend.Open();
        var json = """{ "name": "a", "tasks": [{ "id": "t", "type": "shell", "command": "true" }] }""";
        var one = await Run(store, json);
        await Run(store, json);
        Assert.Equal(one.ExecutionId, store.Find(one.ExecutionId[..^2])?.Execution.Id);
        Assert.Null(store.Find("2"));            // every id starts with the year: ambiguous
        Assert.Null(store.Find("nothing-like-it"));
        Assert.Null(store.Find("%"));            // a LIKE wildcard is a character, not a pattern
        Assert.Null(store.Find("_"));
    }

    [Fact]
    public void A_task_run_again_on_resume_keeps_its_first_start_and_its_attempts_are_replaced_not_doubled()
    {
        using var store = Backend.Open();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        store.ExecutionStarted(Running("e1", at: t0));
        store.TaskStarted("e1", "t", "t", "dag", 1, t0);
        // The process died; a resume runs the task again under the same execution.
        store.ExecutionStarted(Running("e1", at: t0) with { Pid = 99 });
        store.TaskStarted("e1", "t", "t", "dag", 1, t0.AddMinutes(1));
        store.TaskFinished(new TaskRunRecord { ExecutionId = "e1", InstanceId = "t", TaskId = "t", Status = "succeeded", StartedAt = t0.AddMinutes(1), FinishedAt = t0.AddMinutes(2), Attempts = 1 },
            [new AttemptRow("e1", "t", 1, "succeeded", t0.AddMinutes(1), t0.AddMinutes(2), 0, null)]);
        store.TaskFinished(new TaskRunRecord { ExecutionId = "e1", InstanceId = "t", TaskId = "t", Status = "succeeded", StartedAt = t0.AddMinutes(1), FinishedAt = t0.AddMinutes(3), Attempts = 1 },
            [new AttemptRow("e1", "t", 1, "succeeded", t0.AddMinutes(1), t0.AddMinutes(3), 0, null)]);
        store.ExecutionFinished("e1", "succeeded", t0.AddMinutes(3), null);

        var detail = store.Find("e1")!;
        Assert.Equal(("succeeded", 99), (detail.Execution.Status, detail.Execution.Pid));
        var task = Assert.Single(detail.Tasks);
        Assert.Equal((t0.UtcDateTime, t0.AddMinutes(3).UtcDateTime), (task.StartedAt!.Value.UtcDateTime, task.FinishedAt!.Value.UtcDateTime));
        Assert.Equal(t0.AddMinutes(3).UtcDateTime, Assert.Single(detail.Attempts).FinishedAt.UtcDateTime);
    }

    [Fact]
    public void Prune_deletes_old_finished_executions_with_their_rows_and_keeps_running_ones()
    {
        using var store = Backend.Open();
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        foreach (var (id, status) in new[] { ("old-done", "succeeded"), ("old-failed", "failed"), ("old-running", "running") })
        {
            store.ExecutionStarted(Running(id, at: old));
            store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "t", TaskId = "t", Status = "succeeded", StartedAt = old, FinishedAt = old, Attempts = 1 },
                [new AttemptRow(id, "t", 1, "succeeded", old, old, 0, null)]);
            if (status != "running") store.ExecutionFinished(id, status, old, null);
        }
        store.ExecutionStarted(Running("new-done"));
        store.ExecutionFinished("new-done", "succeeded", DateTimeOffset.UtcNow, null);

        var cutoff = DateTimeOffset.UtcNow.AddDays(-30);
        Assert.Equal(["old-done", "old-failed"], store.Prune(cutoff, dryRun: true));
        Assert.NotNull(store.Find("old-done"));
        Assert.Equal(["old-done", "old-failed"], store.Prune(cutoff));
        Assert.Null(store.Find("old-done"));
        Assert.NotNull(store.Find("old-running"));
        Assert.NotNull(store.Find("new-done"));
        Assert.Equal(["old-running"], store.TaskSamples("w", null).Select(s => s.ExecutionId));
        Assert.Empty(store.Prune(cutoff));
        Assert.True(Backend.IntegrityCheck());
    }

    [Fact]
    public void Batched_writes_are_all_visible_from_another_connection()
    {
        // Regression: reused commands under Npgsql's automatic preparation lost writes silently
        // after a handful of batches; every batch must land.
        using var store = Backend.Open();
        store.ExecutionStarted(Running("batched"));
        for (var i = 0; i < 20; i++)
        {
            store.InOneTransaction(() =>
            {
                store.TaskStarted("batched", $"a{i}", "a", "dag", 1, DateTimeOffset.UtcNow);
                store.TaskFinished(new TaskRunRecord { ExecutionId = "batched", InstanceId = $"b{i}", TaskId = "b", Status = "succeeded", StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Attempts = 1 }, []);
            });
            Assert.Equal(2 * (i + 1), store.Find("batched")!.Tasks.Count);
        }
        using var other = Backend.Open();
        Assert.Equal(40, other.Find("batched")!.Tasks.Count);
    }

    [Fact]
    public void A_claim_is_refused_while_a_live_execution_holds_the_workflow_and_granted_once_it_is_gone()
    {
        using var store = Backend.Open();
        Assert.Empty(store.TryClaim(Running("first"), _ => true));
        Assert.Equal(["first"], store.TryClaim(Running("second"), _ => true).Select(e => e.Id));
        Assert.Null(store.Find("second"));
        Assert.Empty(store.TryClaim(Running("other", workflow: "elsewhere"), _ => true));
        // The first process died without finishing: its row is no lock.
        Assert.Empty(store.TryClaim(Running("second"), e => e.Id != "first"));
        Assert.Equal("running", store.Find("second")!.Execution.Status);
    }

    [Fact]
    public async Task Claims_racing_from_separate_connections_let_exactly_one_run_through()
    {
        const int Racers = 6;
        for (var round = 0; round < 5; round++)
        {
            var stores = Enumerable.Range(0, Racers).Select(_ => Backend.Open()).ToList();
            try
            {
                using var start = new Barrier(Racers);
                var claims = stores.Select((store, i) => Task.Run(() =>
                {
                    start.SignalAndWait();
                    return store.TryClaim(Running($"r{round}-{i}", workflow: $"race{round}"), _ => true).Count == 0;
                })).ToList();
                var granted = await Task.WhenAll(claims);
                Assert.Equal(1, granted.Count(g => g));
                Assert.Single(stores[0].History(new HistoryQuery { Workflow = $"race{round}" }));
            }
            finally
            {
                foreach (var store in stores) store.Dispose();
            }
        }
    }

    [Fact]
    public void A_trigger_firing_is_claimed_once_across_connections_and_forgotten_after_pruning()
    {
        var at = DateTimeOffset.Parse("2026-11-30T10:00:00Z");
        using (var store = Backend.Open())
        {
            Assert.Null(store.ClaimTrigger("schedule:w:0:2026-11-30T10:00:00Z", "e1", at));
            Assert.Equal("e1", store.ClaimTrigger("schedule:w:0:2026-11-30T10:00:00Z", "e2", at));
            Assert.Null(store.ClaimTrigger("schedule:w:0:2026-11-30T10:00:05Z", "e3", at.AddSeconds(5)));
        }
        // Another connection (a restarted server) sees the claims.
        using var again = Backend.Open();
        Assert.Equal("e1", again.ClaimTrigger("schedule:w:0:2026-11-30T10:00:00Z", "e4", at.AddHours(1)));
        Assert.Equal(1, again.PruneTriggerClaims(at.AddSeconds(1)));
        Assert.Null(again.ClaimTrigger("schedule:w:0:2026-11-30T10:00:00Z", "e5", at.AddHours(1)));
        Assert.Equal("e3", again.ClaimTrigger("schedule:w:0:2026-11-30T10:00:05Z", "e6", at.AddHours(1)));
    }

    [Fact]
    public async Task Claims_of_one_firing_racing_from_separate_connections_grant_exactly_one()
    {
        const int Racers = 6;
        var stores = Enumerable.Range(0, Racers).Select(_ => Backend.Open()).ToList();
        try
        {
            using var start = new Barrier(Racers);
            var claims = stores.Select((store, i) => Task.Run(() =>
            {
                start.SignalAndWait();
                return store.ClaimTrigger("webhook:deploy:delivery-1", $"e{i}", DateTimeOffset.UtcNow);
            })).ToList();
            var results = await Task.WhenAll(claims);
            Assert.Single(results, r => r is null);
            var winner = $"e{Array.IndexOf(results, null)}";
            Assert.All(results.Where(r => r is not null), r => Assert.Equal(winner, r));
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [Fact]
    public void What_a_trigger_carried_is_kept_with_the_execution_and_shown_in_its_json()
    {
        using var store = Backend.Open();
        store.ExecutionStarted(Running("fired") with { Trigger = "schedule", TriggerData = """{"schedule":"*/5 * * * * *","scheduled_at":"2026-11-30T10:00:05Z"}""" });
        var found = store.Find("fired")!.Execution;
        Assert.Equal("schedule", found.Trigger);
        var json = System.Text.Json.JsonSerializer.Serialize(StateJson.Execution(found));
        Assert.Contains("\"trigger_data\":{\"schedule\":\"*/5 * * * * *\",\"scheduled_at\":\"2026-11-30T10:00:05Z\"}", json);
    }

    /// <summary>Checks, for every finished task it is shown, that the store already has it finished.</summary>
    private sealed class StoredBeforeShown(IStateStore store) : IRunObserver
    {
        public List<string> Seen { get; } = [];
        public List<string> Problems { get; } = [];

        public void OnEvent(RunEvent e)
        {
            if (e is not TaskFinished f) return;
            Seen.Add(f.Result.InstanceId);
            var row = store.Find(f.ExecutionId)?.Tasks.FirstOrDefault(t => t.InstanceId == f.Result.InstanceId);
            if (row?.Status != f.Result.State.Name()) Problems.Add($"{f.Result.InstanceId} shown as {f.Result.State.Name()} but stored as {row?.Status ?? "nothing"}");
        }
    }

    /// <summary>Holds each event until the test lets it through, so the queue is known to be behind.</summary>
    private sealed class Gate : IRunObserver
    {
        public SemaphoreSlim Open { get; } = new(0);
        public List<RunEvent> Seen { get; } = [];

        public void OnEvent(RunEvent e)
        {
            Open.Wait(TimeSpan.FromSeconds(30));
            lock (Seen) Seen.Add(e);
        }
    }

    [Fact]
    public async Task Flush_waits_for_the_events_queued_so_far_while_the_pipeline_stays_open()
    {
        using var store = Backend.Open();
        var gate = new Gate();
        var pipeline = new DurablePipeline(store, new StateRecorder(store, new RunContext()), [gate]);
        for (var i = 0; i < 3; i++) pipeline.OnEvent(new TaskMessage("x", DateTimeOffset.UtcNow, "t", $"line {i}", false));
        var flush = pipeline.FlushAsync();
        Assert.False(flush.IsCompleted); // the observer has not seen them yet
        gate.Open.Release(3);
        await flush.WaitAsync(TimeSpan.FromSeconds(30));
        lock (gate.Seen) Assert.Equal(3, gate.Seen.Count);

        // Still open: later events are delivered, and a flush with nothing pending returns at once.
        gate.Open.Release(1);
        pipeline.OnEvent(new TaskMessage("x", DateTimeOffset.UtcNow, "t", "later", false));
        await pipeline.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        lock (gate.Seen) Assert.Equal(4, gate.Seen.Count);
        await pipeline.CompleteAsync();
        Assert.True(pipeline.FlushAsync().IsCompleted);
    }

    private sealed class Seen : IRunObserver
    {
        private readonly List<(RunEvent Event, long At)> _seen = [];

        public void OnEvent(RunEvent e)
        {
            lock (_seen) _seen.Add((e, System.Diagnostics.Stopwatch.GetTimestamp()));
        }

        public int Count { get { lock (_seen) return _seen.Count; } }

        public long At(int index) { lock (_seen) return _seen[index].At; }

        public async Task UntilAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"saw {Count} of {count} events");
                await Task.Delay(10);
            }
        }
    }

    private static TaskMessage Message(string text) => new("x", DateTimeOffset.UtcNow, "t", text);

    [Fact]
    public async Task Events_that_trickle_in_wait_for_the_commit_interval_since_the_last_commit()
    {
        using var store = Backend.Open();
        var seen = new Seen();
        var interval = TimeSpan.FromMilliseconds(300);
        var pipeline = new DurablePipeline(store, new StateRecorder(store, new RunContext()), [seen]) { CommitInterval = interval };
        var before = System.Diagnostics.Stopwatch.GetTimestamp();
        pipeline.OnEvent(Message("first")); // nothing committed yet: at once
        await seen.UntilAsync(1);
        pipeline.OnEvent(Message("second")); // waits for company until the interval since the first commit is over
        await seen.UntilAsync(2);
        // A lower bound only, which a slow machine cannot break: the first commit started after `before`.
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(before, seen.At(1)) >= interval, "the second event was committed before the interval was over");
        await pipeline.CompleteAsync();
    }

    [Fact]
    public async Task A_flush_a_full_batch_and_the_end_of_the_run_commit_without_waiting_for_the_interval()
    {
        using var store = Backend.Open();
        var seen = new Seen();
        // An interval no test outlives: each step below completes only because something cut the wait short.
        var pipeline = new DurablePipeline(store, new StateRecorder(store, new RunContext()), [seen]) { CommitInterval = TimeSpan.FromHours(1) };
        pipeline.OnEvent(Message("first"));
        await seen.UntilAsync(1);

        pipeline.OnEvent(Message("flushed"));
        await pipeline.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, seen.Count);

        // A loud task: a batch's worth of lines queued (512) is not held back; the rest waits its turn.
        for (var i = 0; i < 600; i++) pipeline.OnEvent(Message($"line {i}"));
        await seen.UntilAsync(2 + 512);

        pipeline.OnEvent(Message("last"));
        await pipeline.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(603, seen.Count);
    }

    [Fact]
    public async Task Every_event_is_stored_before_the_next_observer_sees_it_and_nothing_is_lost()
    {
        var file = Path.Combine(_folder, "many.workflow.json");
        var tasks = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{ "id": "t{{i}}", "type": "shell", "command": "true"{{(i < 4 ? "" : $", \"depends_on\": [\"t{i - 4}\"]")}} }"""));
        File.WriteAllText(file, $$"""{ "name": "many", "tasks": [{{tasks}}] }""");
        using var store = Backend.Open();
        var shown = new StoredBeforeShown(store);
        var recorder = new StateRecorder(store, new RunContext());
        var pipeline = new DurablePipeline(store, recorder, [shown]);
        var result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(WorkflowLoader.Load(file).Workflow!), new RunOptions { Observers = [pipeline], MaxParallel = 4 });
        await pipeline.CompleteAsync();

        Assert.Null(recorder.Error);
        Assert.Empty(shown.Problems);
        Assert.Equal(40, shown.Seen.Count);
        var detail = store.Find(result.ExecutionId)!;
        Assert.Equal("succeeded", detail.Execution.Status);
        Assert.Equal(40, detail.Tasks.Count(t => t.Status == "succeeded"));
        Assert.Null(pipeline.ObserverError);
    }

    [Fact]
    public async Task Log_paths_are_recorded_for_the_streams_a_task_printed_on_whether_or_not_the_report_has_written_them_yet()
    {
        var file = Path.Combine(_folder, "logs.workflow.json");
        var tasks = string.Join(",", Enumerable.Range(0, 20).Select(i => $$"""{ "id": "t{{i}}", "type": "shell", "command": "echo line-{{i}}" }"""));
        File.WriteAllText(file, $$"""{ "name": "logs", "tasks": [{{tasks}}, { "id": "both", "type": "shell", "command": "echo out; echo err >&2" }, { "id": "quiet", "type": "shell", "command": "true" }] }""");
        var plan = ExecutionPlan.Create(WorkflowLoader.Load(file).Workflow!);
        using var store = Backend.Open();

        // The report never sees this run: the paths come from the events, not from what it wrote.
        using var unseen = new RunReportWriter(Path.Combine(_folder, ".unseen"));
        var alone = await new WorkflowEngine().RunAsync(plan, new RunOptions { Observers = [new StateRecorder(store, new RunContext { LogPath = unseen.LogPath })] });
        var detail = store.Find(alone.ExecutionId)!.Tasks.ToDictionary(t => t.InstanceId);
        Assert.Equal(unseen.LogPath(alone.ExecutionId, "both", OutputStream.Stdout), detail["both"].StdoutLog);
        Assert.Equal(unseen.LogPath(alone.ExecutionId, "both", OutputStream.Stderr), detail["both"].StderrLog);
        Assert.EndsWith("/logs/both.stderr.log", detail["both"].StderrLog);
        Assert.Equal((null, null), (detail["quiet"].StdoutLog, detail["quiet"].StderrLog));
        Assert.Null(detail["t0"].StderrLog);

        // Through the store's pipeline, with the report behind it: every recorded log is there, with its line.
        using var report = new RunReportWriter(Path.Combine(_folder, ".workflow"));
        var recorder = new StateRecorder(store, new RunContext { LogPath = report.LogPath });
        var pipeline = new DurablePipeline(store, recorder, [report]);
        var run = await new WorkflowEngine().RunAsync(plan, new RunOptions { Observers = [pipeline], MaxParallel = 4 });
        await pipeline.CompleteAsync();
        foreach (var t in store.Find(run.ExecutionId)!.Tasks.Where(t => t.InstanceId.StartsWith('t')))
            Assert.Equal($"line-{t.InstanceId[1..]}", File.ReadAllText(Assert.IsType<string>(t.StdoutLog)).Trim());
    }
}

public sealed class SqliteStoreContract() : StoreContract(new SqliteBackend());

public sealed class PostgresStoreContract() : StoreContract(new PostgresBackend());
