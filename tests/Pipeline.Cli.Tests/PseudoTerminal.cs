using System.Diagnostics;
using System.Text;

namespace Pipeline.Cli.Tests;

/// <summary>
/// The built `workflow` in a pseudo-terminal (util-linux `script`), so it sees a terminal and prompts.
/// A test waits for each prompt on the screen, then types its answer.
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly Task _reader;
    private int _cursor;

    public PseudoTerminal(string workingDirectory, string arguments)
    {
        var psi = new ProcessStartInfo("script") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qfec", $"'{WorkflowProcess.Host}' '{WorkflowProcess.Dll}' {arguments}", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "xterm";
        psi.Environment["COLUMNS"] = "160";
        _process = Process.Start(psi)!;
        // Raw characters, not lines: a prompt waits for its answer on an unfinished line.
        _reader = Task.Run(() =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = _process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                lock (_screen) _screen.Append(buffer, 0, n);
        });
    }

    /// <summary>What was written, less the terminal's escape sequences (colours, cursor moves).</summary>
    public string Screen { get { lock (_screen) return Escapes.Replace(_screen.ToString(), ""); } }

    private static readonly System.Text.RegularExpressions.Regex Escapes = new(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])");

    /// <summary>Waits (up to a minute) for <paramref name="text"/> after the last text expected.</summary>
    public void Expect(string text)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var screen = Screen;
            var at = screen.IndexOf(text, _cursor, StringComparison.Ordinal);
            if (at >= 0)
            {
                _cursor = at + text.Length;
                return;
            }
            if (_process.HasExited && clock.Elapsed > TimeSpan.FromSeconds(1)) break;
            Thread.Sleep(50);
        }
        Assert.Fail($"\"{text}\" did not appear:\n{Screen}");
    }

    /// <summary>Types keys: text, "\r" for Enter, " " for Space, <see cref="Down"/> for the arrow.</summary>
    public void Type(string keys)
    {
        _process.StandardInput.Write(keys);
        _process.StandardInput.Flush();
    }

    public const string Down = "\u001b[B";

    /// <summary>Waits for <paramref name="prompt"/>, then answers it.</summary>
    public void Answer(string prompt, string keys)
    {
        Expect(prompt);
        Type(keys);
    }

    public int WaitForExit()
    {
        Assert.True(_process.WaitForExit(60_000), "the command did not end:\n" + Screen);
        _process.WaitForExit();
        _reader.Wait(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
