using System.Diagnostics;
using System.Runtime.InteropServices;
using CliWrap;
using Pipeline.Engine.Processes;

namespace Pipeline.Bench;

/// <summary>
/// What one short process costs, split into wall time, the engine's own CPU and the child's CPU
/// (getrusage), for the engine's launcher beside the ways .NET usually starts processes. The two-lane
/// row is the process-task benchmark with no engine around it: the floor for `workflow run`.
/// </summary>
public static partial class ProcessLaunch
{
    private const int Count = 1000;

    public static async Task RunAsync()
    {
        var spec = new ProcessSpec("/bin/true", [], Path.GetTempPath(), new Dictionary<string, string?>());
        Console.WriteLine("| Launcher (1,000 × /bin/true) | wall per process | own CPU per process | child CPU per process |");
        Console.WriteLine("|---|---|---|---|");
        await Row("ProcessRunner (the engine's; posix_spawn on Linux)", 1, () => ProcessRunner.RunAsync(spec, (_, _) => { }, default));
        await Row("ProcessRunner, 2 lanes side by side", 2, () => ProcessRunner.RunAsync(spec, (_, _) => { }, default));
        await Row("CliWrap through setsid (the portable launcher)", 1, () => Cli.Wrap("/usr/bin/setsid").WithArguments(["-w", "/bin/true"]).WithValidation(CommandResultValidation.None).ExecuteAsync());
        await Row("System.Diagnostics.Process", 1, async () =>
        {
            using var p = Process.Start(new ProcessStartInfo("/bin/true") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
        });
    }

    private static async Task Row(string name, int lanes, Func<Task> launch)
    {
        for (var i = 0; i < 50; i++) await launch(); // warm up the JIT
        var (self, children) = Cpu();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            for (var i = 0; i < Count / lanes; i++) await launch();
        }));
        var wall = clock.Elapsed.TotalMilliseconds / Count;
        var (self2, children2) = Cpu();
        Console.WriteLine($"| {name} | {wall:0.000} ms | {(self2 - self) * 1000 / Count:0.000} ms | {(children2 - children) * 1000 / Count:0.000} ms |");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Usage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [LibraryImport("libc")]
    private static partial int getrusage(int who, out Usage usage);

    /// <summary>CPU seconds of this process and of its reaped children.</summary>
    private static (double Self, double Children) Cpu()
    {
        getrusage(0, out var self);
        getrusage(-1, out var children);
        return (Seconds(self), Seconds(children));
        static double Seconds(Usage u) => u.UserSeconds + u.SystemSeconds + (u.UserMicroseconds + u.SystemMicroseconds) / 1e6;
    }
}
