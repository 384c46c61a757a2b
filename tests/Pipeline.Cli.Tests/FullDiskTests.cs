using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>
/// The state directory on a real full disk (a 256 KiB tmpfs, mounted for the test; the tests run
/// as root, as CI does): the run goes on, says what it could not write, keeps what it had stored,
/// and can be resumed once there is room again.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly string _dir = WorkflowProcess.TempDir();
    private readonly string _disk = WorkflowProcess.TempDir();

    public FullDiskTests() => Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", _disk);

    public void Dispose() => Run("umount", "-l", _disk);

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(" ", args)} failed (the full-disk test needs root): {error}");
    }

    [Fact]
    public void A_log_that_fills_the_disk_does_not_stop_the_run_or_lose_what_was_stored_and_the_run_resumes_later()
    {
        // `big` prints 600 kB the first time only (the marker lives outside the small disk).
        var path = Path.Combine(_dir, "full.workflow.json");
        File.WriteAllText(path, """
            { "name": "full", "tasks": [
              { "id": "small", "type": "shell", "command": "echo small >> small.txt" },
              { "id": "big", "type": "shell", "command": "if [ -f filled ]; then echo ok; else touch filled; head -c 600000 /dev/zero | tr '\\0' x | fold -w 100; fi", "depends_on": ["small"] },
              { "id": "after", "type": "shell", "command": "echo after > after.txt", "depends_on": ["big"] }
            ] }
            """);
        var state = Path.Combine(_disk, "state");

        var (code, output, error) = WorkflowProcess.Run(_dir, "run", path, "--state-dir", state);
        Assert.True(code == 0, output + error);
        Assert.True(File.Exists(Path.Combine(_dir, "after.txt")), "the run went on after the disk filled");
        Assert.Contains("workflow: warning: could not write the report or logs: No space left on device", error);
        Assert.DoesNotContain("Report:", output); // no report was written whole, so none is announced
        Assert.DoesNotContain("   at ", error); // no stack trace
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(state, "runs")));
        Assert.Empty(Directory.GetFiles(run, "report.json*")); // nothing half-written

        // What was stored before the disk filled is still there, and the store can be read.
        var (historyCode, history, _) = WorkflowProcess.Run(_dir, "history", "--state-dir", state, "--format", "json");
        Assert.Equal(0, historyCode);
        var execution = Assert.Single(JsonDocument.Parse(history).RootElement.EnumerateArray());
        var id = execution.GetProperty("id").GetString()!;
        var tasks = JsonDocument.Parse(WorkflowProcess.Run(_dir, "status", id, "--state-dir", state, "--format", "json").Stdout).RootElement.GetProperty("tasks");
        Assert.Equal("succeeded", tasks.EnumerateArray().Single(t => t.GetProperty("task_id").GetString() == "small").GetProperty("status").GetString());

        if (execution.GetProperty("status").GetString() == "running")
        {
            // The store filled up too and the run could not be recorded to the end: it stands as
            // interrupted. With room again it resumes, and what had succeeded does not run again.
            Assert.Contains("workflow: warning: the run was not fully recorded in the state database: the disk holding", error);
            foreach (var log in Directory.GetFiles(Path.Combine(run, "logs"))) File.Delete(log);
            var (resumed, resumeOutput, resumeError) = WorkflowProcess.Run(_dir, "resume", id, "--state-dir", state, "--quiet");
            Assert.True(resumed == 0, resumeOutput + resumeError);
            Assert.Equal("succeeded", JsonDocument.Parse(WorkflowProcess.Run(_dir, "status", id, "--state-dir", state, "--format", "json").Stdout).RootElement.GetProperty("status").GetString());
        }
        Assert.Single(File.ReadAllLines(Path.Combine(_dir, "small.txt")));
    }
}
