using Pipeline.Engine.Events;
using Pipeline.Engine.Processes;
using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Tests.Processes;

/// <summary>
/// Both process launchers must behave the same: the Linux one (posix_spawn) is what runs here, the
/// portable one (CliWrap) is what Windows and macOS get. Every test runs against each.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-launcher-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Launchers => ["posix", "cliwrap"];

    private static ProcessRunner.Launcher Launcher(string name) => name switch
    {
        "posix" => PosixLauncher.IsSupported ? PosixLauncher.RunAsync : throw new InvalidOperationException("this machine has no pidfds; the posix launcher cannot be tested"),
        _ => CliWrapLauncher.RunAsync,
    };

    private Task<ProcessOutcome> Sh(string launcher, string script, IReadOnlyDictionary<string, string?>? env = null, CancellationToken token = default) =>
        ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", script], _folder, env ?? new Dictionary<string, string?>()),
            (_, _) => { }, Launcher(launcher), token);

    [Theory, MemberData(nameof(Launchers))]
    public async Task Exit_code_stdout_and_stderr_come_back_separately(string launcher)
    {
        var outcome = await Sh(launcher, "echo out; echo err >&2; printf 'no newline'; exit 3");
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("out\nno newline\n", outcome.Stdout);
        Assert.Equal("err\n", outcome.Stderr);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Lines_are_streamed_in_order_with_their_stream(string launcher)
    {
        var lines = new List<(OutputStream, string)>();
        await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "for i in 1 2 3; do echo $i; done; echo oops >&2"], _folder, new Dictionary<string, string?>()),
            (stream, line) => { lock (lines) lines.Add((stream, line)); }, Launcher(launcher), default);
        Assert.Equal([(OutputStream.Stdout, "1"), (OutputStream.Stdout, "2"), (OutputStream.Stdout, "3")], lines.Where(l => l.Item1 == OutputStream.Stdout));
        Assert.Contains((OutputStream.Stderr, "oops"), lines);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Environment_is_the_engines_with_the_spec_over_it_and_null_removes(string launcher)
    {
        Environment.SetEnvironmentVariable("PIPELINE_LAUNCHER_INHERITED", "from-engine");
        Environment.SetEnvironmentVariable("PIPELINE_LAUNCHER_REMOVED", "should-go");
        var outcome = await Sh(launcher, "echo \"$PIPELINE_LAUNCHER_INHERITED|$TASK_VALUE|${PIPELINE_LAUNCHER_REMOVED-unset}\"",
            new Dictionary<string, string?> { ["TASK_VALUE"] = "a b; $(x)", ["PIPELINE_LAUNCHER_REMOVED"] = null });
        Assert.Equal("from-engine|a b; $(x)|unset\n", outcome.Stdout);
    }

    [Fact]
    public async Task A_snapshot_of_the_environment_is_inherited_instead_of_the_engines_own()
    {
        // What a run passes: the environment as it started. Later changes to the engine's are not seen.
        var snapshot = new InheritedEnvironment(new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["SNAP_KEPT"] = "käse ✓",
            ["SNAP_REPLACED"] = "old",
            ["SNAP_REMOVED"] = "old",
            ["BAD=NAME"] = "never passed",
            [""] = "never passed",
        });
        Environment.SetEnvironmentVariable("PIPELINE_LAUNCHER_AFTER_SNAPSHOT", "engine-only");
        Assert.Equal(4, snapshot.Count);
        var spec = new ProcessSpec("/bin/sh", ["-c", "env | grep -c = ; echo \"$SNAP_KEPT|$SNAP_REPLACED|${SNAP_REMOVED-unset}|$TASK_OWN|${PIPELINE_LAUNCHER_AFTER_SNAPSHOT-unseen}\""], _folder,
            new Dictionary<string, string?> { ["SNAP_REPLACED"] = "new", ["SNAP_REMOVED"] = null, ["TASK_OWN"] = "ü", ["ALSO=BAD"] = "x", ["GONE_ANYWAY"] = null })
        { Inherited = snapshot };

        var outcome = await ProcessRunner.RunAsync(spec, (_, _) => { }, Launcher("posix"), default);

        // PATH, SNAP_KEPT, SNAP_REPLACED, TASK_OWN, plus what sh itself exports (PWD, maybe SHLVL and _).
        var lines = outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(int.Parse(lines[0]), 4, 7);
        Assert.Equal("käse ✓|new|unset|ü|unseen", lines[1]);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Runs_in_the_working_directory_with_arguments_passed_verbatim(string launcher)
    {
        var outcome = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "pwd; printf '%s\\n' \"$@\"", "sh", "two words", "é ü", ""], _folder, new Dictionary<string, string?>()),
            (_, _) => { }, Launcher(launcher), default);
        Assert.Equal($"{new DirectoryInfo(_folder).FullName}\ntwo words\né ü\n\n", outcome.Stdout);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Large_output_on_both_streams_at_once_arrives_whole_and_in_order(string launcher)
    {
        // 200,000 lines on each stream, interleaved: far more than a pipe holds, so a launcher that
        // read one stream at a time, or lost a partial read, would hang or drop lines.
        var lines = new List<string>();
        var outcome = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "seq 1 200000 | tee /dev/stderr"], _folder, new Dictionary<string, string?>()),
            (stream, line) => { if (stream == OutputStream.Stdout) lines.Add(line); }, Launcher(launcher), default);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(Enumerable.Range(1, 200000).Select(i => i.ToString()), lines);
        Assert.EndsWith("[... output truncated; the log file has all of it]\n", outcome.Stderr);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Stdin_is_empty_so_a_reader_does_not_wait(string launcher)
    {
        var outcome = await Sh(launcher, "cat; echo done");
        Assert.Equal("done\n", outcome.Stdout);
    }

    [Fact]
    public async Task A_child_starts_with_no_signal_ignored_or_blocked()
    {
        // The runtime ignores SIGPIPE; a child that inherited that would not stop when its reader goes
        // away. Only the 31 classic signals are checked: glibc's posix_spawn leaves its two internal
        // real-time signals (32, 33) ignored, which every glibc program resets for itself.
        var outcome = await Sh("posix", "grep -E '^Sig(Ign|Blk)' /proc/self/status");
        var masks = outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16) & 0x7fffffff);
        Assert.Equal(0UL, masks["SigIgn"]);
        Assert.Equal(0UL, masks["SigBlk"]);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task A_process_in_its_own_session_leads_its_group(string launcher)
    {
        var outcome = await Sh(launcher, "ps -o pid=,pgid=,sid= -p $$");
        var ids = outcome.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, ids.Length);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task A_background_child_does_not_outlive_its_shell(string launcher)
    {
        var outcome = await Sh(launcher, "sleep 1000 & echo $!");
        var pid = int.Parse(outcome.Stdout.Trim());
        Assert.Equal(0, outcome.ExitCode);
        Assert.False(await ProcessTaskTests.StillAlive(pid), $"background process {pid} is still running");
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task Cancelling_kills_the_whole_group_and_reports_cancellation(string launcher)
    {
        var pidFile = Path.Combine(_folder, "pids");
        using var cts = new CancellationTokenSource();
        var run = Sh(launcher, $"sleep 1000 & echo \"$$ $!\" > '{pidFile}'; wait", token: cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((!File.Exists(pidFile) || !File.ReadAllText(pidFile).EndsWith('\n')) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(File.Exists(pidFile), "the shell never wrote its process ids");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        foreach (var pid in File.ReadAllText(pidFile).Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse))
            Assert.False(await ProcessTaskTests.StillAlive(pid), $"process {pid} is still running");
    }

    [Theory, MemberData(nameof(Launchers))]
    public async Task A_process_killed_by_a_signal_reports_128_plus_the_signal(string launcher)
    {
        var outcome = await Sh(launcher, "kill -TERM $$");
        Assert.Equal(143, outcome.ExitCode);
    }

    [Fact]
    public async Task A_program_that_cannot_be_started_is_an_error_naming_it()
    {
        var missing = Path.Combine(_folder, "no-such-program");
        var error = await Assert.ThrowsAnyAsync<System.ComponentModel.Win32Exception>(() =>
            ProcessRunner.RunAsync(new ProcessSpec(missing, [], _folder, new Dictionary<string, string?>()), (_, _) => { }, Launcher("posix"), default));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Many_short_processes_side_by_side_all_report_their_own_exit_code()
    {
        var runs = Enumerable.Range(0, 64).Select(i => Sh("posix", $"exit {i % 7}")).ToList();
        var outcomes = await Task.WhenAll(runs);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i % 7), outcomes.Select(o => o.ExitCode));
    }

    [Fact]
    public async Task The_engine_keeps_no_pipe_end_once_its_children_are_done()
    {
        static int Pipes() => new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(f => f.LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true);
        var before = Pipes();
        // Each child has two pipes whose read ends the monitor closes at their end: a pipe left open
        // would leak a descriptor per task.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Sh("posix", $"echo {i}; echo {i} >&2")));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"{i}\n{i}"), outcomes.Select(o => o.Stdout + o.Stderr.TrimEnd('\n')));
        // Other tests run processes meanwhile: wait (with a deadline) for the count to come back near where it was.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Pipes() > before + 16 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Pipes() <= before + 16, $"{Pipes() - before} more pipe descriptors than before 64 short processes");
    }
}
