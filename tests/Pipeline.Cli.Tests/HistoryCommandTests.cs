using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow history` and `workflow status` through the real process, over runs it recorded.</summary>
public sealed class HistoryCommandTests
{
    private static string Workflow(string dir, string name, string command)
    {
        var path = Path.Combine(dir, name + ".workflow.json");
        File.WriteAllText(path, $$"""{ "name": "{{name}}", "tasks": [{ "id": "step", "type": "shell", "command": "{{command}}", "retry": { "attempts": 2, "delay": 10 } }] }""");
        return path;
    }

    [Fact]
    public void Runs_are_listed_newest_first_and_filtered_and_one_is_shown_task_by_task()
    {
        var dir = WorkflowProcess.TempDir();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", Workflow(dir, "good", "echo fine"), "--quiet", "--env", "STAGE=ci").ExitCode);
        Assert.Equal(1, WorkflowProcess.Run(dir, "run", Workflow(dir, "bad", "echo broken >&2; exit 5"), "--quiet").ExitCode);

        var (code, text, _) = WorkflowProcess.Run(dir, "history");
        Assert.Equal(0, code);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Matches(@"^\S+\s+bad\s+failed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+task 'step' failed: exited with code 5: broken", lines[1]);
        Assert.Matches(@"^\S+\s+good\s+succeeded", lines[2]);

        var (_, json, _) = WorkflowProcess.Run(dir, "history", "good", "--format", "json");
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(1, rows.GetArrayLength());
        Assert.Equal("ci", rows[0].GetProperty("parameters").GetProperty("STAGE").GetString());
        Assert.Equal(Pipeline.State.StateLocation.HashOf(Path.Combine(dir, "good.workflow.json")), rows[0].GetProperty("content_hash").GetString());

        var (_, failedOnly, _) = WorkflowProcess.Run(dir, "history", "--status", "failed", "--since", "1h", "--format", "json");
        var failedId = JsonDocument.Parse(failedOnly).RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal(1, JsonDocument.Parse(failedOnly).RootElement.GetArrayLength());

        var (statusCode, status, _) = WorkflowProcess.Run(dir, "status", failedId[..22]);
        Assert.Equal(0, statusCode);
        Assert.Contains($"{failedId}  bad  failed", status);
        Assert.Matches(@"step\s+failed\s+2\s+\S+\s+5\s+.*logs/step\.stderr\.log", status);
        Assert.Contains("attempt 1 failed: exited with code 5: broken", status);

        var (_, statusJson, _) = WorkflowProcess.Run(dir, "status", failedId, "--format", "json");
        var task = JsonDocument.Parse(statusJson).RootElement.GetProperty("tasks")[0];
        Assert.Equal(2, task.GetProperty("attempts").GetArrayLength());
        Assert.Equal("broken", task.GetProperty("output_excerpt").GetString());
    }

    [Fact]
    public void Without_recorded_runs_or_with_an_unknown_id_the_exit_code_is_2_with_a_hint()
    {
        var dir = WorkflowProcess.TempDir();
        var (code, _, error) = WorkflowProcess.Run(dir, "history");
        Assert.Equal(2, code);
        Assert.Contains("no runs recorded yet", error);

        Assert.Equal(0, WorkflowProcess.Run(dir, "run", Workflow(dir, "good", "true"), "--quiet").ExitCode);
        var (code2, _, error2) = WorkflowProcess.Run(dir, "status", "19990101");
        Assert.Equal(2, code2);
        Assert.Contains("no single execution matches '19990101'", error2);

        var (code3, _, error3) = WorkflowProcess.Run(dir, "history", "--since", "yesterday-ish");
        Assert.Equal(2, code3);
        Assert.Contains("is neither a duration", error3);
    }

    [Fact]
    public void A_workflow_that_never_ran_lists_nothing_with_a_did_you_mean_hint()
    {
        var dir = WorkflowProcess.TempDir();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", Workflow(dir, "deploy", "true"), "--quiet").ExitCode);
        var (code, text, error) = WorkflowProcess.Run(dir, "history", "deplyo");
        Assert.Equal(0, code);
        Assert.Equal("No executions match.", text.Trim());
        Assert.Contains("'deplyo' has never run here", error);
        Assert.Contains("hint: did you mean 'deploy'?", error);
        var (_, _, known) = WorkflowProcess.Run(dir, "history", "deploy", "--status", "failed");
        Assert.Equal("", known); // it has run, just never failed: no hint
    }

    [Fact]
    public void Status_lists_the_notifications_recorded_for_an_execution()
    {
        var dir = WorkflowProcess.TempDir();
        Assert.Equal(1, WorkflowProcess.Run(dir, "run", Workflow(dir, "bad", "exit 3"), "--quiet").ExitCode);
        var id = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0].GetProperty("id").GetString()!;
        using (var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(dir, ".workflow", "state.db")))
            for (var i = 0; i < 3; i++)
                store.NotificationAttempted(new Pipeline.State.NotificationAttempt(id, "email", "failure", "failed", DateTimeOffset.UtcNow, 5, "connection refused by 127.0.0.1:8025"));

        var (_, status, _) = WorkflowProcess.Run(dir, "status", id);
        Assert.Matches(@"NOTIFICATION\s+EVENT\s+STATUS\s+ATTEMPTS", status);
        Assert.Matches(@"email\s+failure\s+failed\s+3\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+connection refused by 127.0.0.1:8025", status);
        var (_, json, _) = WorkflowProcess.Run(dir, "status", id, "--format", "json");
        var delivery = JsonDocument.Parse(json).RootElement.GetProperty("notifications")[0];
        Assert.Equal(("email", "failed", 3), (delivery.GetProperty("channel").GetString(), delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public void A_build_project_run_is_listed_but_resumed_only_by_the_build_itself()
    {
        var dir = WorkflowProcess.TempDir();
        var file = Workflow(dir, "bad", "exit 3");
        Assert.Equal(1, WorkflowProcess.Run(dir, "run", file, "--quiet").ExitCode);
        var manual = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0].GetProperty("id").GetString()!;
        // A later failed run of the same workflow made by a build project (as Pipeline.Build records it).
        using (var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(dir, ".workflow", "state.db")))
        {
            store.ExecutionStarted(new Pipeline.State.ExecutionRecord { Id = "29990101T000000000Z-b00b00", Workflow = "bad", File = file, Trigger = "build", Status = "running", StartedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
            store.ExecutionFinished("29990101T000000000Z-b00b00", "failed", DateTimeOffset.UtcNow.AddSeconds(2), "task 'step' failed");
        }
        var (_, history, _) = WorkflowProcess.Run(dir, "history", "--format", "json");
        Assert.Equal("build", JsonDocument.Parse(history).RootElement[0].GetProperty("trigger").GetString());

        var (code, _, error) = WorkflowProcess.Run(dir, "resume", "29990101T000000000Z-b00b00");
        Assert.Equal(2, code);
        Assert.Contains("was run by a build project", error);
        Assert.Contains("--continue", error);
        // `run --resume` takes the latest run of the workflow that it can resume: the manual one.
        var (_, _, resumed) = WorkflowProcess.Run(dir, "run", file, "--resume", "--quiet");
        Assert.Contains($"resuming {manual}", resumed);
    }

    [Fact]
    public void A_damaged_state_database_does_not_stop_a_run_and_history_reports_it_with_exit_3()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, ".workflow"));
        File.WriteAllText(Path.Combine(dir, ".workflow", "state.db"), "not a database at all, but long enough to look like a file");
        var (code, _, error) = WorkflowProcess.Run(dir, "run", Workflow(dir, "good", "true"), "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("is not a Pipeline state database (or it is damaged)", error);
        Assert.Contains("this run is not recorded in the history", error);
        Assert.Single(Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"))); // the report is still written

        var (historyCode, _, historyError) = WorkflowProcess.Run(dir, "history");
        Assert.Equal(3, historyCode); // the store is unusable: exit 3, one line, no stack trace
        Assert.StartsWith("workflow: ", historyError);
        Assert.Contains("is not a Pipeline state database (or it is damaged)", historyError);
        Assert.Single(historyError.Trim().Split('\n'));
    }
}

/// <summary>`workflow prune`: old executions leave the store, with their reports and logs; running ones stay.</summary>
public sealed class PruneCommandTests
{
    [Fact]
    public void Prune_removes_finished_executions_and_their_folders_and_dry_run_only_counts()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "p.workflow.json");
        File.WriteAllText(path, """{ "name": "p", "tasks": [{ "id": "t", "type": "shell", "command": "echo hi" }] }""");
        for (var i = 0; i < 2; i++) Assert.Equal(0, WorkflowProcess.Run(dir, "run", path, "--quiet").ExitCode);
        // "older than 0m" needs the clock past the last run's end: wait for that, not for a fixed time.
        var ended = System.Text.Json.JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement
            .EnumerateArray().Max(e => e.GetProperty("finished_at").GetDateTimeOffset());
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow > ended, TimeSpan.FromSeconds(10));

        var (_, dry, _) = WorkflowProcess.Run(dir, "prune", "--older-than", "0m", "--dry-run");
        Assert.Contains("Would remove 2 execution(s)", dry);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs")).Length);

        var (code, done, _) = WorkflowProcess.Run(dir, "prune", "--older-than", "0m");
        Assert.Equal(0, code);
        Assert.Contains("Removed 2 execution(s)", done);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs")));
        Assert.Contains("No executions match.", WorkflowProcess.Run(dir, "history").Stdout);

        var (bad, _, error) = WorkflowProcess.Run(dir, "prune", "--older-than", "soon");
        Assert.Equal(2, bad);
        Assert.Contains("is neither a duration", error);
    }
}

/// <summary>`workflow health` over runs the real process recorded.</summary>
public sealed class HealthCommandTests
{
    [Fact]
    public void Health_reports_a_task_that_fails_and_one_that_needs_retries()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "h.workflow.json");
        // "flaky" fails its first attempt in every run (a marker file per run), "broken" fails on odd runs.
        File.WriteAllText(path, """
            { "name": "h", "tasks": [
              { "id": "flaky", "type": "shell", "command": "if [ -f once-$RUN ]; then exit 0; else touch once-$RUN; exit 1; fi", "retry": { "attempts": 2, "delay": 10 } },
              { "id": "broken", "type": "shell", "command": "[ $((RUN % 2)) -eq 0 ]" }
            ] }
            """);
        for (var run = 1; run <= 4; run++) WorkflowProcess.Run(dir, "run", path, "--quiet", "--env", $"RUN={run}");

        var (code, text, _) = WorkflowProcess.Run(dir, "health");
        Assert.Equal(0, code);
        Assert.Matches(@"h\s+broken\s+4\s+50%", text);
        Assert.Contains("failing: h/broken fails 50% of its runs (2 of 4)", text);
        Assert.Contains("flaky: h/flaky succeeded only after a retry in 4 of 4 runs", text);
        Assert.Contains("recommendation:", text);

        var (_, json, _) = WorkflowProcess.Run(dir, "health", "h", "--format", "json");
        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal(2, root.GetProperty("tasks").GetArrayLength());
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "flaky");
    }

    [Fact]
    public void A_task_failing_its_only_run_is_not_judged_rather_than_declared_healthy()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "once.workflow.json");
        File.WriteAllText(path, """{ "name": "once", "tasks": [{ "id": "boom", "type": "shell", "command": "exit 1" }] }""");
        WorkflowProcess.Run(dir, "run", path, "--quiet");
        var (code, text, _) = WorkflowProcess.Run(dir, "health");
        Assert.Equal(0, code);
        Assert.Matches(@"once\s+boom\s+1\s+0%", text);
        Assert.DoesNotContain("No problems found", text);
        Assert.Contains("Not judged yet: every task has fewer than 3 runs", text);
    }
}

/// <summary>The plan's estimates come from history once there is some.</summary>
public sealed class EstimateTests
{
    [Fact]
    public void The_dry_run_estimate_uses_recorded_durations_instead_of_timeouts()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "e.workflow.json");
        File.WriteAllText(path, """{ "name": "e", "tasks": [{ "id": "a", "type": "shell", "command": "sleep 0.2", "timeout": 100 }] }""");
        Assert.Contains("estimated 1m40s, from timeouts", WorkflowProcess.Run(dir, "run", path, "--dry-run").Stdout);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", path, "--quiet").ExitCode);
        var plan = WorkflowProcess.Run(dir, "run", path, "--dry-run").Stdout;
        Assert.Matches(@"estimated \d+ms, from the median of recorded runs", plan);
    }
}

/// <summary>`workflow monitor`: the dashboard, printed once (as it is when the output is not a terminal).</summary>
public sealed class MonitorCommandTests
{
    [Fact]
    public void The_dashboard_shows_running_executions_the_latest_ones_and_task_trends()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "m.workflow.json");
        File.WriteAllText(path, """{ "name": "mon", "tasks": [{ "id": "step", "type": "shell", "command": "sleep $DUR" }] }""");
        // Far apart, so a busy machine's start-up delays cannot reorder them.
        foreach (var duration in new[] { "0.1", "0.7", "1.5" }) Assert.Equal(0, WorkflowProcess.Run(dir, "run", path, "--quiet", "--env", $"DUR={duration}").ExitCode);

        var (code, screen, _) = WorkflowProcess.Run(dir, "monitor", "--once");
        Assert.Equal(0, code);
        Assert.Contains("nothing is running", screen);
        Assert.Contains("Latest executions", screen);
        Assert.Equal(3, screen.Split('\n').Count(l => l.Contains("succeeded")));
        Assert.Matches(@"mon\s+│\s+step\s+│\s+3\s+│\s+100%", screen);
        Assert.Matches("▁[▁▂▃▄▅▆▇█]█", screen); // 0.1s, 0.7s, 1.5s: rising
        // Each execution id whole on one line, as `workflow status` takes it (they used to wrap at 80 columns).
        var ids = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!);
        Assert.All(ids, id => Assert.Contains(id, screen));
        // Even in a narrow terminal's width the ids stay whole.
        var (_, narrow, _) = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["COLUMNS"] = "70" }, "monitor", "--once");
        Assert.All(ids, id => Assert.Contains(id, narrow));
    }

    [Fact]
    public void On_a_terminal_the_dashboard_refreshes_while_a_run_progresses()
    {
        // A real pseudo-terminal (util-linux `script`), so monitor takes its live path.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "live.workflow.json");
        File.WriteAllText(path, """{ "name": "live", "tasks": [{ "id": "hold", "type": "shell", "command": "while [ ! -f go ]; do sleep 0.05; done" }] }""");
        var runOut = new System.Text.StringBuilder();
        using var run = WorkflowProcess.Start(dir, runOut, new System.Text.StringBuilder(), "run", path, "--quiet");
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(dir, ".workflow", "state.db")) && started.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20); // monitor needs a store

        var psi = new System.Diagnostics.ProcessStartInfo("script") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qfec", $"'{WorkflowProcess.Host}' '{WorkflowProcess.Dll}' monitor --interval 0.2", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "xterm";
        psi.Environment["COLUMNS"] = "140";
        var screen = new System.Text.StringBuilder();
        using var monitor = System.Diagnostics.Process.Start(psi)!;
        monitor.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (screen) screen.AppendLine(e.Data); };
        monitor.BeginOutputReadLine();
        string Screen() { lock (screen) return screen.ToString(); }
        bool WaitFor(Func<string, bool> seen)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!seen(Screen()) && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
            return seen(Screen());
        }
        try
        {
            Assert.True(WaitFor(s => System.Text.RegularExpressions.Regex.IsMatch(s, @"live\s+│\s+[\d.]+m?s\s+│\s+0\s+│\s+hold")), "the running execution and its running task are shown\n" + Screen());
            var before = Screen().Length;
            File.WriteAllText(Path.Combine(dir, "go"), "");
            Assert.True(run.WaitForExit(30_000));
            Assert.True(WaitFor(s => s.Length > before && s[before..].Contains("nothing is running") && s[before..].Contains("succeeded")), "a later frame shows the run finished\n" + Screen()[before..]);
            Assert.False(monitor.HasExited, "the monitor keeps refreshing until Ctrl-C");
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            monitor.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void A_trend_scales_between_the_fastest_and_the_slowest_run()
    {
        Assert.Equal("▁▁▁", Commands.MonitorCommand.Trend([2, 2, 2]));
        Assert.Equal("▁█▅", Commands.MonitorCommand.Trend([1, 3, 2]));
        Assert.Equal("", Commands.MonitorCommand.Trend([]));
    }
}
