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
    public void Queue_waits_for_the_running_one_to_finish()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Workflow(dir, "queue", "echo $$ > pid; sleep 2");
        var (first, _) = StartFirst(dir, path);
        var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("waiting for execution", error);
        first.WaitForExit();
        var runs = History(dir).EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        var earlier = runs[1].GetProperty("finished_at").GetDateTimeOffset();
        var later = runs[0].GetProperty("started_at").GetDateTimeOffset();
        Assert.True(later >= earlier, $"the queued run started at {later:O}, before the first finished at {earlier:O}");
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
