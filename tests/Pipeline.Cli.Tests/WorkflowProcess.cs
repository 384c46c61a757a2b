using System.Diagnostics;

namespace Pipeline.Cli.Tests;

/// <summary>Runs the real `workflow` program (built next to the tests) in a working directory.</summary>
internal static class WorkflowProcess
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Pipeline.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The dotnet host that runs the tests, by path so tests can change PATH.</summary>
    public static string Host { get; } = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>The `workflow` program, built next to the tests.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "workflow.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args) => RunWithEnvironment(workingDirectory, null, args);

    public static (int ExitCode, string Stdout, string Stderr) RunWithEnvironment(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        RunTool(null, workingDirectory, environment, args);

    /// <summary>Runs <paramref name="tool"/> (a compiled workflow executable), or the dll beside the tests when null.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunTool(string? tool, string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(tool, workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"workflow {string.Join(" ", args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static ProcessStartInfo StartInfo(string? tool, string workingDirectory, IDictionary<string, string>? environment, string[] args)
    {
        var psi = new ProcessStartInfo(tool ?? Host) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (environment is not null) foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;
        if (tool is null) psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts workflow without waiting (for signal tests); output is collected into the builders.</summary>
    public static Process Start(string workingDirectory, System.Text.StringBuilder stdout, System.Text.StringBuilder stderr, params string[] args) =>
        StartWithEnvironment(workingDirectory, null, stdout, stderr, args);

    public static Process StartWithEnvironment(string workingDirectory, IDictionary<string, string>? environment, System.Text.StringBuilder stdout, System.Text.StringBuilder stderr, params string[] args) =>
        StartTool(null, workingDirectory, environment, stdout, stderr, args);

    /// <summary>Starts <paramref name="tool"/> (or the dll beside the tests when null) without waiting; output is collected into the builders.</summary>
    public static Process StartTool(string? tool, string workingDirectory, IDictionary<string, string>? environment, System.Text.StringBuilder stdout, System.Text.StringBuilder stderr, params string[] args)
    {
        var process = Process.Start(StartInfo(tool, workingDirectory, environment, args))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (up to 30 s) for a task to write its shell's process id to <paramref name="pidFile"/>.</summary>
    public static int WaitForPid(string pidFile)
    {
        var waited = Stopwatch.StartNew();
        while ((!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0) && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        return int.Parse(File.ReadAllText(pidFile).Trim());
    }

    /// <summary>
    /// Waits (up to 60 s) until the state store in <paramref name="dir"/> holds the processes of
    /// <paramref name="count"/> task instances. The engine tells the watchdog about a process before
    /// it publishes it, so from then on a runner killed outright takes that task with it.
    /// </summary>
    public static void WaitForRecordedProcesses(string dir, int count) => WaitForStoredTasks(dir, "process_id IS NOT NULL", count);

    /// <summary>
    /// Waits (up to 60 s) until <paramref name="count"/> rows of the store's task_runs match
    /// <paramref name="where"/>: the store is written on a thread of its own, after the tasks act.
    /// </summary>
    public static void WaitForStoredTasks(string dir, string where, int count)
    {
        var database = Path.Combine(dir, ".workflow", "state.db");
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60) && StoredTasks(database, where) < count) Thread.Sleep(50);
    }

    private static long StoredTasks(string database, string where)
    {
        if (!File.Exists(database)) return 0;
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT COUNT(*) FROM task_runs WHERE " + where;
            return Convert.ToInt64(query.ExecuteScalar());
        }
        catch (Microsoft.Data.Sqlite.SqliteException) { return 0; } // not created yet, or busy
    }

    /// <summary>The process has exited (it is gone, or only a zombie is left).</summary>
    public static bool IsGone(int pid) => !Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
