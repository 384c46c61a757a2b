using System.Diagnostics;
using System.Text;
using CliWrap;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Runs one process with CliWrap: stdout and stderr captured separately and streamed line by line,
/// the exit code returned rather than thrown. On cancellation (timeout, Ctrl-C) and when the process
/// exits, its whole process group is killed, so nothing it started outlives the task.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Characters of each stream kept in memory for the result; the log files get everything.</summary>
    public const int CaptureLimit = 1 << 20;

    public static async Task<ProcessOutcome> RunAsync(ProcessSpec spec, Action<OutputStream, string> onLine, CancellationToken cancellationToken)
    {
        var isolated = ProcessGroup.Isolate(spec);
        var stdout = new Capture();
        var stderr = new Capture();
        var command = Cli.Wrap(isolated.FileName)
            .WithArguments(isolated.Arguments)
            .WithWorkingDirectory(isolated.WorkingDirectory)
            .WithEnvironmentVariables(isolated.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => { stdout.Add(line); onLine(OutputStream.Stdout, line); }, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { stderr.Add(line); onLine(OutputStream.Stderr, line); }, Encoding.UTF8));

        var running = command.ExecuteAsync(cancellationToken);
        var pid = running.ProcessId;
        using var killOnCancel = cancellationToken.Register(() => ProcessGroup.Kill(pid));
        var reaper = KillGroupWhenLeaderExits(pid);
        try
        {
            var result = await running;
            return new ProcessOutcome(result.ExitCode, stdout.Text, stderr.Text);
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

    private sealed class Capture
    {
        private readonly StringBuilder _text = new();
        private bool _truncated;

        public void Add(string line)
        {
            lock (_text)
            {
                if (_truncated) return;
                if (_text.Length + line.Length > CaptureLimit)
                {
                    _text.Append("[... output truncated; the log file has all of it]\n");
                    _truncated = true;
                    return;
                }
                _text.Append(line).Append('\n');
            }
        }

        public string Text { get { lock (_text) return _text.ToString(); } }
    }
}
