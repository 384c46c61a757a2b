using System.Diagnostics;

namespace Pipeline.Scheduling.Targets;

/// <summary>Runs the machine's scheduler programs (crontab, systemd-analyze, systemctl) and collects what they say.</summary>
internal static class Programs
{
    /// <summary>Runs <paramref name="program"/>, with <paramref name="input"/> on its stdin when given; null when it is not installed.</summary>
    public static (int Exit, string Output, string Error)? Run(string program, IEnumerable<string> args, string? input = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { return null; }
        using (process)
        {
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error);
        }
    }
}
