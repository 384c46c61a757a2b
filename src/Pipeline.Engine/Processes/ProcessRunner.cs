using System.Text;
using Pipeline.Engine.Events;
using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Runs one process: stdout and stderr captured separately and streamed line by line, the exit code
/// returned rather than thrown. On cancellation (timeout, Ctrl-C) and when the process exits, its
/// whole process group is killed, so nothing it started outlives the task. On Linux the process is
/// started by <see cref="PosixLauncher"/> (posix_spawn); elsewhere by <see cref="CliWrapLauncher"/>.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Characters of each stream kept in memory for the result; the log files get everything.</summary>
    public const int CaptureLimit = 1 << 20;

    /// <param name="onStarted">Told the process id (also its session id) once the process runs, so it can be recorded.</param>
    public static Task<ProcessOutcome> RunAsync(ProcessSpec spec, Action<OutputStream, string> onLine, CancellationToken cancellationToken, StopPolicy? stop = null,
        Action<int>? onStarted = null) =>
        RunAsync(spec, onLine, PosixLauncher.IsSupported ? PosixLauncher.RunAsync : CliWrapLauncher.RunAsync, cancellationToken, stop, onStarted);

    /// <summary>
    /// Completes once what exited tasks left in their sessions has been killed (see
    /// <see cref="SessionSweeper"/>); a run awaits it before reporting its end, so nothing outlives it.
    /// </summary>
    public static Task SettleAsync() => PosixLauncher.IsSupported ? SessionSweeper.WhenIdle() : Task.CompletedTask;

    internal delegate Task<int> Launcher(ProcessSpec spec, Action<OutputStream, string> onLine, StopPolicy stop, Action<int>? onStarted, CancellationToken cancellationToken);

    internal static async Task<ProcessOutcome> RunAsync(ProcessSpec spec, Action<OutputStream, string> onLine, Launcher launcher, CancellationToken cancellationToken, StopPolicy? stop = null,
        Action<int>? onStarted = null)
    {
        var stdout = new OutputCapture();
        var stderr = new OutputCapture();
        var exitCode = await launcher(spec, (stream, line) =>
        {
            (stream == OutputStream.Stdout ? stdout : stderr).Add(line);
            onLine(stream, line);
        }, stop ?? StopPolicy.Immediate, onStarted, cancellationToken).ConfigureAwait(false);
        return new ProcessOutcome(exitCode, stdout.Text, stderr.Text);
    }
}
