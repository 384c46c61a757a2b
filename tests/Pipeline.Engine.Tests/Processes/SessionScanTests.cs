using Pipeline.Engine.Processes;
using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Tests.Processes;

/// <summary>The scans of /proc that find what a task left in its session (see SessionSweeper).</summary>
public sealed class SessionScanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-sessions-").FullName;
    private readonly List<int> _leaders = [];

    public unsafe void Dispose()
    {
        foreach (var leader in _leaders)
        {
            Libc.kill(-leader, Libc.SigKill);
            int status;
            Libc.waitpid(leader, &status, 0);
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_entries_of_proc_are_its_processes_each_with_an_inode_that_stays_while_it_lives()
    {
        var first = ProcStat.ProcessEntries();
        var self = Assert.Single(first, e => e.Pid == Environment.ProcessId);
        Assert.NotEqual(0UL, self.Inode);
        Assert.Equal(self, Assert.Single(ProcStat.ProcessEntries(), e => e.Pid == Environment.ProcessId));
        // The same processes as a plain listing (one taken right after the other: a few may come and go).
        var listed = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!)).Where(p => p > 1).ToHashSet();
        var scanned = first.Select(e => e.Pid).ToHashSet();
        Assert.True(scanned.Intersect(listed).Count() > listed.Count * 3 / 4, $"getdents64 found {scanned.Count} processes, a listing {listed.Count}");
        Assert.Equal(first.Count, scanned.Count); // one entry per process
    }

    [Fact]
    public async Task A_job_seen_by_an_earlier_scan_while_its_task_ran_is_still_killed_when_the_task_ends()
    {
        var (leader, job) = await StartWithJobAsync();

        var known = new SessionCache();
        // A sweep of other tasks' sessions while this one runs: it reads the job's stat and remembers its session.
        Assert.Equal(0, Sessions.Signal(new HashSet<int> { int.MaxValue }, 0, known: known));
        Assert.True(ProcessTaskTests.IsAlive(job));
        // The task's own sweep must not skip the job for having seen it before.
        Assert.Equal(1, Sessions.Signal(new HashSet<int> { leader }, Libc.SigKill, known: known));
        Assert.False(await ProcessTaskTests.StillAlive(job), $"the job {job} outlived the sweep of its session");
    }

    [Fact]
    public async Task A_process_noted_before_any_task_is_not_read_again()
    {
        var (leader, _) = await StartWithJobAsync();

        // Seeded as if it had been there before the first task (which cannot happen to a task's own
        // process): the scan trusts the note and does not read it, so it is not signalled.
        var known = new SessionCache();
        foreach (var process in ProcStat.ProcessEntries()) known.Seed(process);
        Assert.Equal(0, Sessions.Signal(new HashSet<int> { leader }, 0, known: known));
        // Without the note it is found (signal 0 only checks that it could be signalled).
        Assert.Equal(1, Sessions.Signal(new HashSet<int> { leader }, 0));
    }

    /// <summary>
    /// A task's shell in a session of its own that moved a background job into a group of its own
    /// (job control), so only a session scan reaches the job.
    /// </summary>
    private async Task<(int Leader, int Job)> StartWithJobAsync()
    {
        var jobFile = Path.Combine(_folder, "job");
        var started = PosixSpawn.Start(new ProcessSpec("/bin/bash", ["-c", $"set -m; sleep 1000 >/dev/null 2>&1 & echo $! > '{jobFile}'; sleep 1000"],
            _folder, new Dictionary<string, string?>()));
        Libc.close(started.Stdout);
        Libc.close(started.Stderr);
        _leaders.Add(started.Pid);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((!File.Exists(jobFile) || !File.ReadAllText(jobFile).EndsWith('\n')) && DateTime.UtcNow < deadline) await Task.Delay(20);
        var job = int.Parse(File.ReadAllText(jobFile));
        Assert.Equal(started.Pid, ProcStat.Read(job)?.Session);
        return (started.Pid, job);
    }
}
