using System.Diagnostics;
using System.Text;
using CliWrap;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Processes;

/// <summary>
/// The portable launcher (Windows, macOS, Linux without pidfds): CliWrap, with the process put in a
/// session of its own through the setsid program where there is one, so its group can be killed.
/// </summary>
internal static class CliWrapLauncher
{
    public static async Task<int> RunAsync(ProcessSpec spec, Action<OutputStream, string> onLine, StopPolicy stop, Action<int>? onStarted, CancellationToken cancellationToken)
    {
        var runningPid = 0;
        // CliWrap kills the process itself when its token fires, so the grace period comes first:
        // SIGTERM to the group on cancellation, and CliWrap's token only after the grace period.
        using var forceful = new CancellationTokenSource();
        using var graceful = cancellationToken.Register(() =>
        {
            if (stop.GracePeriod <= TimeSpan.Zero) { forceful.Cancel(); return; }
            ProcessGroup.Terminate(runningPid);
            try { forceful.CancelAfter(stop.GracePeriod); } catch (ObjectDisposedException) { }
        });
        using var now = stop.KillNow.Register(() => { try { forceful.Cancel(); } catch (ObjectDisposedException) { } });
        var isolated = ProcessGroup.Isolate(spec);
        var command = Cli.Wrap(isolated.FileName)
            .WithArguments(isolated.Arguments)
            .WithWorkingDirectory(isolated.WorkingDirectory)
            .WithEnvironmentVariables(isolated.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => onLine(OutputStream.Stdout, line), Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => onLine(OutputStream.Stderr, line), Encoding.UTF8));
        if (spec.InheritStdin) command = command.WithStandardInputPipe(PipeSource.FromStream(Console.OpenStandardInput()));

        var running = command.ExecuteAsync(forceful.Token);
        var pid = running.ProcessId;
        runningPid = pid;
        onStarted?.Invoke(pid);
        using var killOnCancel = forceful.Token.Register(() => ProcessGroup.Kill(pid));
        var reaper = KillGroupWhenLeaderExits(pid);
        try
        {
            var exitCode = (await running).ExitCode;
            cancellationToken.ThrowIfCancellationRequested(); // stopped by SIGTERM: reported as cancelled
            return exitCode;
        }
        finally
        {
            ProcessGroup.Kill(pid);
            await reaper;
        }
    }

    /// <summary>
    /// A background child can keep the output pipes open after the shell exits, and CliWrap waits for
    /// the pipes. Killing the group when the leader exits ends the wait and leaves nothing behind.
    /// </summary>
    private static async Task KillGroupWhenLeaderExits(int pid)
    {
        if (ProcessGroup.Setsid is null) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (Exception) { /* already gone */ }
        ProcessGroup.Kill(pid);
    }
}
