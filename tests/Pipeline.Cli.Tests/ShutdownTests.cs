using System.Diagnostics;
using System.Text;

namespace Pipeline.Cli.Tests;

/// <summary>SIGTERM to `workflow run`: tasks get SIGTERM and a grace period, then SIGKILL; nothing outlives the run; exit 130.</summary>
public sealed class ShutdownTests
{
    private static void Signal(Process process, string signal) => Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExit();

    [Fact]
    public void A_task_that_handles_SIGTERM_cleans_up_in_its_grace_period_and_the_run_is_recorded_as_cancelled()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "graceful.workflow.json");
        File.WriteAllText(path, """
            { "name": "graceful", "tasks": [
              { "id": "server", "type": "shell", "shell": "bash", "command": "trap 'echo cleaned up > cleaned; exit 0' TERM; echo $$ > pid; sleep 1000 & wait" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "10s");
        var pid = WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        Signal(process, "TERM");
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("cleaned up", File.ReadAllText(Path.Combine(dir, "cleaned")).Trim());
        Assert.True(WorkflowProcess.IsGone(pid));
        Assert.Contains("cancelled", WorkflowProcess.Run(dir, "history").Stdout);
    }

    [Fact]
    public void Ctrl_C_on_a_Taskfile_run_still_runs_the_task_s_defers_as_go_task_does()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), """
            version: '3'
            tasks:
              sleepy:
                cmds:
                  - defer: echo cleaned > deferred
                  - echo $$ > pid; sleep 1000
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", "-t", "Taskfile.yml", "sleepy");
        var pid = WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        Signal(process, "INT");
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("cleaned", File.ReadAllText(Path.Combine(dir, "deferred")).Trim());
        Assert.True(WorkflowProcess.IsGone(pid));
    }

    [Fact]
    public void A_task_that_ignores_SIGTERM_is_killed_when_the_grace_period_ends()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "stubborn.workflow.json");
        File.WriteAllText(path, """
            { "name": "stubborn", "tasks": [
              { "id": "deaf", "type": "shell", "shell": "bash", "command": "trap '' TERM; echo $$ > pid; sleep 1000 & echo $! > child; wait; wait" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "1s");
        var pid = WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        var child = WorkflowProcess.WaitForPid(Path.Combine(dir, "child"));
        var clock = Stopwatch.StartNew();
        Signal(process, "TERM");
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(130, process.ExitCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"killed after {clock.Elapsed.TotalSeconds:0.00}s, before the grace period ended");
        Assert.True(WorkflowProcess.IsGone(pid));
        Assert.True(WorkflowProcess.IsGone(child));
    }

    [Fact]
    public void Clean_up_that_takes_longer_than_two_seconds_finishes_before_the_process_exits()
    {
        // System.CommandLine's own termination handler used to exit 143 two seconds after SIGTERM,
        // whatever our clean-up was doing: no rollback, no report, the execution left running.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "slow-cleanup.workflow.json");
        File.WriteAllText(path, """
            { "name": "slow-cleanup", "tasks": [
              { "id": "deaf", "type": "shell", "shell": "bash", "command": "trap '' TERM; echo $$ > pid; sleep 1000 & echo $! > child; wait; wait",
                "on_failure": ["tell"] },
              { "id": "tell", "type": "shell", "command": "sleep 2.5; echo $WORKFLOW_TASK_STATUS > told" },
              { "id": "undo", "type": "shell", "command": "sleep 2.5; echo undone > undone" }
            ], "rollback": ["undo"] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "2500ms");
        var pid = WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        var child = WorkflowProcess.WaitForPid(Path.Combine(dir, "child"));
        Signal(process, "TERM");
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("cancelled", File.ReadAllText(Path.Combine(dir, "told")).Trim());
        Assert.Equal("undone", File.ReadAllText(Path.Combine(dir, "undone")).Trim());
        Assert.True(WorkflowProcess.IsGone(pid));
        Assert.True(WorkflowProcess.IsGone(child));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, ".workflow", "runs"), "report.json", SearchOption.AllDirectories));
        var history = WorkflowProcess.Run(dir, "history").Stdout;
        Assert.Contains("cancelled", history);
        Assert.DoesNotContain("running", history);
    }

    [Fact]
    public void A_second_signal_cuts_a_long_clean_up_short()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "impatient.workflow.json");
        File.WriteAllText(path, """
            { "name": "impatient", "tasks": [
              { "id": "work", "type": "shell", "command": "echo $$ > pid; sleep 1000" },
              { "id": "undo", "type": "shell", "command": "echo $$ > undo-pid; sleep 1000" }
            ], "rollback": ["undo"] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet");
        WorkflowProcess.WaitForPid(Path.Combine(dir, "pid"));
        Signal(process, "TERM");
        var undo = WorkflowProcess.WaitForPid(Path.Combine(dir, "undo-pid"));
        Signal(process, "TERM");
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(130, process.ExitCode);
        Assert.True(WorkflowProcess.IsGone(undo));
        Assert.Contains("cancelled", WorkflowProcess.Run(dir, "history").Stdout);
    }

    /// <summary>Waits (up to 30 s) for a process to be gone.</summary>
    private static bool GoneSoon(int pid)
    {
        var waited = Stopwatch.StartNew();
        while (!WorkflowProcess.IsGone(pid) && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        return WorkflowProcess.IsGone(pid);
    }

    [Fact]
    public void A_background_job_that_job_control_moved_to_another_group_dies_with_its_task()
    {
        // `set -m` puts the background job in a process group of its own, inside the task's session:
        // killing the task's group missed it, and it ran on after the task, the run and the CLI.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "jobs.workflow.json");
        File.WriteAllText(path, """
            { "name": "jobs", "tasks": [
              { "id": "spawn", "type": "shell", "shell": "bash", "command": "set -m; sleep 300 >/dev/null 2>&1 & echo $! > bg; sleep 0.5" },
              { "id": "after", "type": "shell", "command": "while [ ! -f release ]; do sleep 0.05; done", "depends_on": ["spawn"] }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet");
        var background = WorkflowProcess.WaitForPid(Path.Combine(dir, "bg"));
        // Gone once its task has succeeded, while the run goes on.
        Assert.True(GoneSoon(background), $"process {background} outlived its task");
        Assert.False(process.HasExited);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void A_background_job_in_another_group_gets_the_grace_period_and_dies_on_ctrl_c()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "jobs.workflow.json");
        File.WriteAllText(path, """
            { "name": "jobs", "tasks": [
              { "id": "spawn", "type": "shell", "shell": "bash",
                "command": "set -m; bash -c 'trap \"echo stopped > stopped; exit 0\" TERM; echo $$ > ready; sleep 300 & wait' >/dev/null 2>&1 & echo $! > bg; sleep 300" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "10s");
        var background = WorkflowProcess.WaitForPid(Path.Combine(dir, "bg"));
        WorkflowProcess.WaitForPid(Path.Combine(dir, "ready")); // its trap is set
        Signal(process, "INT");
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(130, process.ExitCode);
        Assert.True(GoneSoon(background), $"process {background} outlived the run");
        Assert.Equal("stopped", File.ReadAllText(Path.Combine(dir, "stopped")).Trim()); // it got SIGTERM first
    }

    [Fact]
    public void Tasks_die_with_a_runner_killed_by_SIGKILL()
    {
        // Tasks run in sessions of their own, so nothing stopped them when the runner was killed outright.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "orphans.workflow.json");
        File.WriteAllText(path, """
            { "name": "orphans", "tasks": [
              { "id": "a", "type": "shell", "command": "echo $$ > a; sleep 300 & echo $! > a-child; wait" },
              { "id": "b", "type": "shell", "shell": "bash", "command": "set -m; sleep 300 >/dev/null 2>&1 & echo $! > b-job; echo $$ > b; sleep 300" }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "1s");
        var pids = new[] { "a", "a-child", "b-job", "b" }.Select(f => WorkflowProcess.WaitForPid(Path.Combine(dir, f))).ToList();
        WorkflowProcess.WaitForRecordedProcesses(dir, 2); // both tasks known to the watchdog
        process.Kill(); // SIGKILL: no handler runs
        Assert.True(process.WaitForExit(30_000));
        foreach (var pid in pids) Assert.True(GoneSoon(pid), $"process {pid} outlived the killed runner");
    }

    [Fact]
    public void A_task_started_after_others_ended_dies_with_a_runner_killed_by_SIGKILL()
    {
        // The watchdog's table reuses the slots of swept sessions: "pause" waits until every short
        // task's process is reaped (its slot is freed just before), so "long" takes a freed slot, and
        // blanking the short ones' records must not lose its record.
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "reuse.workflow.json");
        var shorts = string.Join(",", Enumerable.Range(0, 6).Select(i => $$"""{ "id": "s{{i}}", "type": "shell", "command": "echo $$ > s{{i}}.pid" }"""));
        var afterShorts = string.Join(",", Enumerable.Range(0, 6).Select(i => $"'s{i}'")).Replace('\'', '"');
        File.WriteAllText(path, $$"""
            { "name": "reuse", "tasks": [{{shorts}},
              { "id": "pause", "type": "shell", "command": "for f in s*.pid; do while [ -e /proc/$(cat $f) ]; do sleep 0.05; done; done", "depends_on": [{{afterShorts}}] },
              { "id": "long", "type": "shell", "command": "echo $$ > long; sleep 300 & echo $! > long-child; wait", "depends_on": ["pause"] }
            ] }
            """);
        var process = WorkflowProcess.Start(dir, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "1s", "-j", "2");
        var pids = new[] { "long", "long-child" }.Select(f => WorkflowProcess.WaitForPid(Path.Combine(dir, f))).ToList();
        WorkflowProcess.WaitForStoredTasks(dir, "task_id = 'long' AND process_id IS NOT NULL", 1);
        process.Kill(); // SIGKILL: no handler runs
        Assert.True(process.WaitForExit(30_000));
        foreach (var pid in pids) Assert.True(GoneSoon(pid), $"process {pid} outlived the killed runner");
    }

    [Fact]
    public void A_bad_grace_period_is_exit_2()
    {
        var dir = WorkflowProcess.TempDir();
        var path = Path.Combine(dir, "x.workflow.json");
        File.WriteAllText(path, """{ "name": "x", "tasks": [{ "id": "t", "type": "shell", "command": "true" }] }""");
        var (code, _, error) = WorkflowProcess.Run(dir, "run", path, "--grace-period", "soon");
        Assert.Equal(2, code);
        Assert.Contains("--grace-period \"soon\" is not a duration", error);
    }
}
