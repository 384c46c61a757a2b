using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>Two runs of one workflow on one store follow its concurrency policy; a crashed run blocks nothing.</summary>
public sealed class ConcurrencyTests
{
    private static string Workflow(string dir, string policy, string command = "echo $$ > pid; sleep 1000")
    {
        var path = Path.Combine(dir, "one.workflow.json");
        File.WriteAllText(path, $$"""{ "name": "one", "concurrency": "{{policy}}", "tasks": [{ "id": "work", "type": "shell", "command": "{{command}}" }] }""");
        return path;
    }

    private static (Process Process, int TaskPid) StartFirst(string dir, string path)
    {
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "0");
        return (process, WorkflowProcess.WaitForPid(Path.Combine(dir, "pid")));
    }

    private static JsonElement History(string dir) => JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement;

    [Fact]
    public void Skip_records_the_second_run_as_skipped_and_exits_0()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "skip");
        var (first, _) = StartFirst(dir, path);
        try
        {
            var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--quiet");
            Assert.Equal(0, code);
            Assert.Contains("(concurrency: skip)", error);
            Assert.Equal("skipped", History(dir)[0].GetProperty("status").GetString());
        }
        finally
        {
            first.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Cancel_previous_stops_the_running_one_then_runs()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "cancel-previous");
        var (first, taskPid) = StartFirst(dir, path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("echo $$ > pid; sleep 1000", "echo second > second.txt"));
        var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("first (concurrency: cancel-previous)", error);
        Assert.True(first.WaitForExit(30_000));
        Assert.Equal(130, first.ExitCode);
        Assert.True(WorkflowProcess.IsGone(taskPid));
        Assert.True(File.Exists(Path.Combine(dir, "second.txt")));
        var statuses = History(dir).EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(["succeeded", "cancelled"], statuses);
    }

    [Fact]
    public void Ten_cancel_previous_runs_started_at_once_all_end_in_a_recorded_final_state()
    {
        // Each newcomer stops the one running; runs stopped while they start, claim or clean up
        // used to crash (exit 134) or die at System.CommandLine's 2 s deadline (143), left "running".
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "cancel-previous", "sleep 8");
        var runs = Enumerable.Range(0, 10).Select(_ =>
        {
            var stderr = new StringBuilder();
            return (Process: WorkflowProcess.Start(dir, new StringBuilder(), stderr, "run", path, "--quiet", "--grace-period", "200ms"), Stderr: stderr);
        }).ToList();
        foreach (var (process, _) in runs) Assert.True(process.WaitForExit(180_000), "a run did not finish in 3 minutes");
        foreach (var (process, stderr) in runs)
        {
            Assert.True(process.ExitCode is 0 or 130, $"exit {process.ExitCode}: {stderr}");
            Assert.DoesNotContain("internal error", stderr.ToString());
            Assert.DoesNotContain("Unhandled exception", stderr.ToString());
        }
        var statuses = History(dir).EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(10, statuses.Count);
        Assert.All(statuses, s => Assert.True(s is "succeeded" or "cancelled", $"an execution ended '{s}': {string.Join(", ", statuses)}"));
        Assert.Equal(runs.Count(r => r.Process.ExitCode == 0), statuses.Count(s => s == "succeeded"));
        Assert.Equal("succeeded", statuses[0]);
    }

    [Fact]
    public void Queue_waits_for_the_running_one_to_finish()
    {
        // The first run holds until the test releases it, after the second says it waits: no race with start-up time.
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "queue", "echo $$ > pid; while [ ! -f release ]; do sleep 0.05; done");
        var (first, _) = StartFirst(dir, path);
        var error = new StringBuilder();
        using var second = WorkflowProcess.Start(dir, new StringBuilder(), error, "run", path, "--quiet");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!Seen("waiting for execution") && !second.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(Seen("waiting for execution"), error.ToString());
        Assert.False(second.HasExited);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        Assert.True(second.WaitForExit(120_000), error.ToString());
        Assert.Equal(0, second.ExitCode);
        Assert.True(first.WaitForExit(60_000));
        var runs = History(dir).EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        var earlier = runs[1].GetProperty("finished_at").GetDateTimeOffset();
        var later = runs[0].GetProperty("started_at").GetDateTimeOffset();
        Assert.True(later >= earlier, $"the queued run started at {later:O}, before the first finished at {earlier:O}");

        bool Seen(string text) { lock (error) return error.ToString().Contains(text); }
    }

    [Fact]
    public void A_queued_run_stopped_while_it_waits_is_recorded_as_cancelled()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "queue");
        var (first, _) = StartFirst(dir, path);
        try
        {
            var stderr = new StringBuilder();
            var queued = WorkflowProcess.Start(dir, new StringBuilder(), stderr, "run", path, "--quiet");
            var waited = Stopwatch.StartNew();
            while (!stderr.ToString().Contains("waiting for execution") && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(50);
            Process.Start("kill", ["-TERM", queued.Id.ToString()])!.WaitForExit();
            Assert.True(queued.WaitForExit(30_000));
            Assert.Equal(130, queued.ExitCode);
            var latest = History(dir)[0];
            Assert.Equal("cancelled", latest.GetProperty("status").GetString());
            Assert.Contains("while waiting for execution", latest.GetProperty("error").GetString());
        }
        finally
        {
            first.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void A_run_killed_with_sigkill_leaves_no_lock_behind()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "skip");
        var (first, taskPid) = StartFirst(dir, path);
        first.Kill();
        first.WaitForExit();
        try { using var orphan = Process.GetProcessById(taskPid); orphan.Kill(entireProcessTree: true); } // the task it left running
        catch (ArgumentException) { /* already gone */ }
        File.WriteAllText(path, File.ReadAllText(path).Replace("echo $$ > pid; sleep 1000", "true"));
        var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--quiet");
        Assert.Equal(0, code);
        Assert.DoesNotContain("concurrency", error);
        Assert.Equal("succeeded", History(dir)[0].GetProperty("status").GetString());
    }
}
