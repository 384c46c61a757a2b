using System.Text;
using System.Text.Json;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>Killing `workflow run` with SIGKILL at random moments, then resuming: nothing that succeeded runs twice, everything finishes.</summary>
public sealed class ResumeTests
{
    /// <summary>Fifty tasks in five levels of ten, four at once; each writes its id to ran.txt when it starts and sleeps a little.</summary>
    private static string Dag(string dir)
    {
        var tasks = new List<string>();
        for (var level = 0; level < 5; level++)
            for (var i = 0; i < 10; i++)
            {
                var deps = level == 0 ? "" : $", \"depends_on\": [\"t{level - 1}_{i}\", \"t{level - 1}_{(i + 1) % 10}\"]";
                tasks.Add($$"""{ "id": "t{{level}}_{{i}}", "type": "shell", "command": "echo t{{level}}_{{i}} >> ran.txt; sleep 0.0{{5 + (level * 10 + i) % 5}}"{{deps}} }""");
            }
        var path = Path.Combine(dir, "dag.workflow.json");
        File.WriteAllText(path, $$"""{ "name": "dag", "max_parallel": 4, "tasks": [{{string.Join(",\n", tasks)}}] }""");
        return path;
    }

    private static Dictionary<string, string> Statuses(string dir, string id, IDictionary<string, string>? environment)
    {
        var (_, json, _) = WorkflowProcess.RunWithEnvironment(dir, environment, "status", id, "--format", "json");
        return JsonDocument.Parse(json).RootElement.GetProperty("tasks").EnumerateArray()
            .ToDictionary(t => t.GetProperty("task_id").GetString()!, t => t.GetProperty("status").GetString()!);
    }

    [Fact]
    public void Killed_at_random_moments_every_resume_completes_and_no_succeeded_task_runs_twice() =>
        KillAndResume(trials: 5, environment: null, dir =>
        {
            using var store = SqliteStateStore.Open(Path.Combine(dir, ".workflow", "state.db"));
            return store.IntegrityCheck();
        });

    [Fact]
    public void On_PostgreSQL_killed_at_random_moments_every_resume_completes_and_no_succeeded_task_runs_twice()
    {
        using var schema = new PostgresTestSchema();
        KillAndResume(trials: 3, new Dictionary<string, string> { ["WORKFLOW_POSTGRES"] = schema.ConnectionString }, _ => schema.NoOrphanRows());
    }

    /// <summary>
    /// Each trial: start the DAG, SIGKILL it after a random moment, resume the latest run and check
    /// that it completes, that what had succeeded did not run again, and that the store is sound.
    /// </summary>
    private static void KillAndResume(int trials, IDictionary<string, string>? environment, Func<string, bool> storeIsSound)
    {
        var random = new Random(20261124);
        var resumed = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var dir = WorkflowProcess.TempDir();
            var workflow = Dag(dir);
            var process = WorkflowProcess.StartWithEnvironment(dir, environment, new StringBuilder(), new StringBuilder(), "run", workflow, "--quiet");
            // Kill after a random number of tasks have started (not after a fixed time, which on a
            // busy machine comes before the run has begun): an observable state, with a deadline.
            var started = 1 + random.Next(45);
            var ranFile = Path.Combine(dir, "ran.txt");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)
                && (!File.Exists(ranFile) || File.ReadAllLines(ranFile).Length < started)) Thread.Sleep(10);
            process.Kill(); // SIGKILL: no clean-up of any kind
            process.WaitForExit();

            var (historyCode, history, _) = WorkflowProcess.RunWithEnvironment(dir, environment, "history", "dag", "--limit", "1", "--format", "json");
            if (historyCode != 0 || history.Trim().Length == 0) continue; // killed before the run was recorded: nothing to resume
            var rows = JsonDocument.Parse(history).RootElement;
            if (rows.GetArrayLength() == 0) continue;
            var id = rows[0].GetProperty("id").GetString()!;
            var before = Statuses(dir, id, environment).Where(s => s.Value == "succeeded").Select(s => s.Key).ToHashSet();

            var (code, output, error) = WorkflowProcess.RunWithEnvironment(dir, environment, "run", workflow, "--resume", "--quiet");
            if (rows[0].GetProperty("status").GetString() != "running")
            {
                Assert.Equal(2, code); // it had finished before the kill: nothing to resume
                continue;
            }
            Assert.True(code == 0, $"trial {trial}: resume exited {code}\n{output}\n{error}");
            resumed++;
            var ran = File.ReadAllLines(Path.Combine(dir, "ran.txt")).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(50, ran.Count);
            foreach (var task in before) Assert.True(ran[task] == 1, $"trial {trial}: {task} succeeded before the kill and ran {ran[task]} times");
            Assert.All(ran.Values, n => Assert.InRange(n, 1, 2));
            Assert.All(Statuses(dir, id, environment).Values, s => Assert.Equal("succeeded", s));
            Assert.True(storeIsSound(dir), $"trial {trial}: the store failed its integrity check");
        }
        Assert.True(resumed > 0, "no trial was killed mid-run: the loop tested nothing");
    }

    [Fact]
    public void A_task_that_must_not_run_twice_fails_the_resumed_run_and_a_changed_definition_needs_force()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "pay.workflow.json");
        File.WriteAllText(path, """
            { "name": "pay", "tasks": [
              { "id": "charge", "type": "shell", "command": "echo $$ > pid; sleep 30", "resumable": false },
              { "id": "receipt", "type": "shell", "command": "true", "depends_on": ["charge"] }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet");
        var pid = WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        process.Kill();
        process.WaitForExit();
        // The task it left running, and its sleep. (Not `kill -9 -PID`: a process-group kill from a test is one typo away from killing everything.)
        try { using var orphan = System.Diagnostics.Process.GetProcessById(pid); orphan.Kill(entireProcessTree: true); }
        catch (ArgumentException) { /* already gone */ }

        File.AppendAllText(path, "\n");
        var (changed, _, changedError) = WorkflowProcess.Run(dir, "run", path, "--resume");
        Assert.Equal(2, changed);
        Assert.Contains("changed since execution", changedError);
        Assert.Contains("--force", changedError);

        var (code, output, _) = WorkflowProcess.Run(dir, "run", path, "--resume", "--force", "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("marked resumable: false", output);
    }

    /// <summary>A run stopped by SIGTERM while "slow" runs; its "finally" task (always()) runs during the cancellation.</summary>
    private static (string Dir, string Path) CancelledRun()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "fin.workflow.json");
        File.WriteAllText(path, """
            { "name": "fin", "tasks": [
              { "id": "first", "type": "shell", "command": "echo first >> ran.txt" },
              { "id": "slow", "type": "shell", "command": "echo slow >> ran.txt; test -f go || { echo $$ > pid; sleep 1000; }", "depends_on": ["first"] },
              { "id": "finally", "type": "shell", "command": "echo finally-${tasks.slow.status} >> ran.txt", "depends_on": ["slow"], "condition": "always()" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "0");
        WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(130, process.ExitCode);
        File.WriteAllText(Path.Combine(dir, "go"), "");
        return (dir, path);
    }

    [Fact]
    public void Run_resume_continues_a_cancelled_run_and_reruns_its_always_task_after_the_dependency_completes()
    {
        var (dir, path) = CancelledRun();
        var (code, output, error) = WorkflowProcess.Run(dir, "run", path, "--resume", "--quiet");
        Assert.True(code == 0, $"exit {code}: {output}{error}");
        Assert.Contains("resuming", error);
        var ran = File.ReadAllLines(Path.Combine(dir, "ran.txt"));
        Assert.Equal(["first", "slow", "finally-cancelled", "slow", "finally-succeeded"], ran);
        var history = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement;
        Assert.Equal(1, history.GetArrayLength()); // the same execution, continued
        Assert.Equal("succeeded", history[0].GetProperty("status").GetString());
    }

    [Fact]
    public void Resume_by_id_agrees_with_run_resume_on_a_cancelled_run()
    {
        var (dir, _) = CancelledRun();
        var id = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0].GetProperty("id").GetString()!;
        var (code, output, error) = WorkflowProcess.Run(dir, "resume", id, "--quiet");
        Assert.True(code == 0, $"exit {code}: {output}{error}");
        Assert.Equal(["first", "slow", "finally-cancelled", "slow", "finally-succeeded"], File.ReadAllLines(Path.Combine(dir, "ran.txt")));
    }

    [Fact]
    public void Run_resume_after_a_success_says_there_is_nothing_to_resume()
    {
        var (dir, path) = CancelledRun();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", path, "--resume", "--quiet").ExitCode);
        var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--resume", "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("succeeded; there is nothing to resume", error);
    }

    /// <summary>The watchdog a runner started (its child whose command line names it), or 0.</summary>
    private static int WatchdogOf(int runner)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (parent == runner && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("pipeline-watchdog")) return pid;
            }
            catch (IOException) { }
        }
        return 0;
    }

    [Fact]
    public void Resume_stops_what_a_killed_run_left_running_before_running_the_task_again()
    {
        // The runner and its watchdog both SIGKILLed: the task's processes live on. Resume used to
        // start the task again beside its old copy; now it stops the old one first.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "long.workflow.json");
        File.WriteAllText(path, """
            { "name": "long", "tasks": [
              { "id": "work", "type": "shell",
                "command": "if [ -f again ]; then for p in $(cat pids); do s=$(cut -d')' -f2 /proc/$p/stat 2>/dev/null | cut -d' ' -f2); [ -n \"$s\" ] && [ \"$s\" != Z ] && echo $p >> overlap; done; exit 0; fi; trap '' TERM; echo $$ > pids; sleep 300 & echo $! >> pids; echo $$ > ready; wait" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet");
        WorkflowProcess.WaitForPid(Path.Combine(dir, "ready"));
        var old = File.ReadAllLines(Path.Combine(dir, "pids")).Select(int.Parse).ToList();
        // The store is written on a thread of its own: wait until it holds the task's process.
        WorkflowProcess.WaitForRecordedProcesses(dir, 1);
        var watchdog = WatchdogOf(process.Id);
        Assert.True(watchdog > 0, "the runner has no watchdog");
        System.Diagnostics.Process.GetProcessById(watchdog).Kill();
        process.Kill();
        Assert.True(process.WaitForExit(30_000));
        try
        {
            Assert.All(old, pid => Assert.False(WorkflowProcess.IsGone(pid), $"process {pid} did not survive: the test tests nothing"));
            File.WriteAllText(Path.Combine(dir, "again"), "");
            var (code, output, error) = WorkflowProcess.Run(dir, "run", path, "--resume", "--quiet", "--grace-period", "1s");
            Assert.True(code == 0, $"exit {code}: {output}{error}");
            Assert.Contains("task 'work' of the interrupted run still runs (2 process(es)", error);
            Assert.Contains("were killed", error); // the shell ignores SIGTERM: SIGKILL after the grace period
            Assert.False(File.Exists(Path.Combine(dir, "overlap")), "the old copy still ran when the task ran again");
            Assert.All(old, pid => Assert.True(WorkflowProcess.IsGone(pid)));
        }
        finally
        {
            foreach (var pid in old)
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        }
    }

    [Fact]
    public void A_resumed_task_reads_the_outputs_of_the_tasks_that_succeeded_before_the_interruption()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "pass.workflow.json");
        File.WriteAllText(path, """
            { "name": "pass", "tasks": [
              { "id": "up", "type": "shell", "command": "echo version=4.2.$$ >> \"$WORKFLOW_OUTPUT\"; echo $$ > up-pid" },
              { "id": "down", "type": "shell", "command": "test -f go || { echo $$ > pid; sleep 1000; }; echo \"got ${tasks.up.outputs.version}\" > got", "depends_on": ["up"] }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet");
        WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        var upPid = File.ReadAllText(Path.Combine(dir, "up-pid")).Trim();
        // The store is written on a thread of its own: wait until it holds up's success before the kill.
        WorkflowProcess.WaitForStoredTasks(dir, "task_id = 'up' AND status = 'succeeded'", 1);
        process.Kill();
        Assert.True(process.WaitForExit(30_000));
        File.WriteAllText(Path.Combine(dir, "go"), "");

        var (code, output, error) = WorkflowProcess.Run(dir, "run", path, "--resume", "--quiet");
        Assert.True(code == 0, output + error);
        Assert.Equal(upPid, File.ReadAllText(Path.Combine(dir, "up-pid")).Trim()); // up did not run again
        Assert.Equal($"got 4.2.{upPid}", File.ReadAllText(Path.Combine(dir, "got")).Trim()); // and its output was restored
    }
}
