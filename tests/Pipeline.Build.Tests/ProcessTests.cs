using System.Diagnostics;

namespace Pipeline.Build.Tests;

/// <summary>
/// tests/Fixtures/TaskfileBuild, a build project with a Taskfile beside it, copied, built once with
/// `dotnet build` and run as a user runs it: `dotnet run -- package`, and Ctrl-C on a running task.
/// </summary>
public sealed class TaskfileBuildProject : IDisposable
{
    public TaskfileBuildProject()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pipeline.sln"))) root = Path.GetDirectoryName(root)!;
        Directory = Path.Combine(root, "artifacts", "test-projects", "taskfile-build-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(root, "tests", "Fixtures", "TaskfileBuild")))
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
        var (exit, output) = Run(["build", "-nologo"]);
        if (exit != 0) throw new InvalidOperationException("the fixture did not build:\n" + output);
    }

    public string Directory { get; }

    public string Dll => Path.Combine(Directory, "bin", "Debug", "net10.0", "TaskfileBuild.dll");

    public (int Exit, string Output) Run(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

public sealed class ProcessTests(TaskfileBuildProject project) : IClassFixture<TaskfileBuildProject>
{
    [Fact]
    public void Dotnet_run_runs_targets_and_Taskfile_tasks_in_order_and_records_them()
    {
        var (exit, output) = project.Run(["run", "--no-build", "--", "package", "GREETING=hi"]);
        Assert.True(exit == 0, output);
        var generating = output.IndexOf("Generate │ generating", StringComparison.Ordinal);
        var compiled = output.IndexOf("Tasks:compile │ compile hi", StringComparison.Ordinal);
        var packaging = output.IndexOf("Package │ packaging", StringComparison.Ordinal);
        Assert.True(generating >= 0 && generating < compiled && compiled < packaging, output);

        using var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(project.Directory, ".workflow", "state.db"));
        var taskfile = store.History(new Pipeline.State.HistoryQuery()).First(r => r.File!.EndsWith("Taskfile.yml"));
        Assert.Equal(("build", "succeeded"), (taskfile.Trigger, taskfile.Status));
        Assert.Contains("\"GREETING\":\"hi\"", taskfile.Parameters);
    }

    [Fact]
    public void Dotnet_run_skips_an_up_to_date_task_runs_beside_a_target_and_keeps_the_exit_codes()
    {
        File.Delete(Path.Combine(project.Directory, "built"));
        var (first, firstOutput) = project.Run(["run", "--no-build", "--", "Tasks:checked"]);
        Assert.True(first == 0, firstOutput);
        Assert.Contains("task: [checked] touch built", firstOutput);
        var (second, secondOutput) = project.Run(["run", "--no-build", "--", "Tasks:checked"]);
        Assert.Equal(0, second);
        Assert.Contains("task: Task \"checked\" is up to date", secondOutput);

        foreach (var f in new[] { "waits-started", "release" }) File.Delete(Path.Combine(project.Directory, f));
        var (together, togetherOutput) = project.Run(["run", "--no-build", "--", "together"]);
        Assert.True(together == 0, togetherOutput);

        var (guarded, guardedOutput) = project.Run(["run", "--no-build", "--", "Tasks:guarded"]);
        Assert.Equal(1, guarded);
        Assert.Contains("task: ALLOW must be set", guardedOutput);
        var (allowed, allowedOutput) = project.Run(["run", "--no-build", "--", "Tasks:guarded", "ALLOW=yes"]);
        Assert.True(allowed == 0, allowedOutput);
    }

    [Fact]
    public void Ctrl_C_stops_the_task_runs_its_defer_and_exits_130()
    {
        foreach (var f in new[] { "sleepy-started", "sleepy.pid", "deferred" }) File.Delete(Path.Combine(project.Directory, f));
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = project.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(project.Dll);
        psi.ArgumentList.Add("Tasks:sleepy");
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var started = Path.Combine(project.Directory, "sleepy-started");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(started) && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(20);
        Assert.True(File.Exists(started), "the task did not start");
        var shell = int.Parse(File.ReadAllText(Path.Combine(project.Directory, "sleepy.pid")).Trim());

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        Assert.True(process.WaitForExit(60_000), "the build did not stop");
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Tasks:sleepy cancelled", output.Result);
        Assert.True(File.Exists(Path.Combine(project.Directory, "deferred")), "the defer did not run:\n" + output.Result);
        Assert.True(!System.IO.Directory.Exists($"/proc/{shell}") || File.ReadAllText($"/proc/{shell}/stat").Contains(") Z "), "the task's shell is still running");
    }
}
