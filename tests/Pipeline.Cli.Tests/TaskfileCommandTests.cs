using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow run` on a Taskfile through the real process: go-task's output, listing, arguments and exit codes.</summary>
public sealed class TaskfileCommandTests
{
    private const string Taskfile = """
        version: '3'
        vars:
          NAME: world
        tasks:
          default:
            desc: Say hello
            cmds:
              - echo "hello {{.NAME}}"
          build:
            desc: Build it
            aliases: [b]
            deps: [gen]
            cmds:
              - echo building
              - cmd: echo quietly
                silent: true
          gen:
            cmds: [echo generating]
          args:
            cmds: ['echo "args: {{.CLI_ARGS}}"']
          fail:
            cmds: ['echo about to fail', 'exit 7']
          internal-step:
            internal: true
            cmds: [echo hidden]
        """;

    private static string Project()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), Taskfile);
        return dir;
    }

    [Fact]
    public void Runs_a_task_with_go_tasks_output()
    {
        var dir = Project();
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", "Taskfile.yml", "build");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("generating\nbuilding\nquietly\n", stdout);
        Assert.Equal("task: [gen] echo generating\ntask: [build] echo building\n", stderr);
        var runs = Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"));
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Assert.Single(runs), "report.json"))).RootElement;
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(["gen", "build"], report.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("instance_id").GetString()));
    }

    [Fact]
    public void Taskfile_runs_are_recorded_in_the_history_like_workflow_runs()
    {
        var dir = Project();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "build", "NAME=ci").ExitCode);
        Assert.Equal(1, WorkflowProcess.Run(dir, "run", "fail").ExitCode);

        var rows = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement;
        Assert.Equal(["failed", "succeeded"], rows.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("ci", rows[1].GetProperty("parameters").GetProperty("NAME").GetString());
        Assert.Equal(Pipeline.State.StateLocation.HashOf(Path.Combine(dir, "Taskfile.yml")), rows[1].GetProperty("content_hash").GetString());

        var failed = JsonDocument.Parse(WorkflowProcess.Run(dir, "status", rows[0].GetProperty("id").GetString()!, "--format", "json").Stdout).RootElement;
        var task = Assert.Single(failed.GetProperty("tasks").EnumerateArray());
        Assert.Equal(("fail", "failed", 7), (task.GetProperty("task_id").GetString(), task.GetProperty("status").GetString(), task.GetProperty("exit_code").GetInt32()));
        Assert.Contains("about to fail", File.ReadAllText(task.GetProperty("stdout_log").GetString()!));

        var built = JsonDocument.Parse(WorkflowProcess.Run(dir, "status", rows[1].GetProperty("id").GetString()!, "--format", "json").Stdout).RootElement;
        Assert.Equal(["gen", "build"], built.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("task_id").GetString()));
    }

    [Fact]
    public void Without_a_workflow_the_Taskfile_here_runs_its_default_task_and_variables_come_from_the_command_line()
    {
        var dir = Project();
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("hello world\n", stdout);
        (code, stdout, _) = WorkflowProcess.Run(dir, "run", "default", "NAME=pipeline");
        Assert.Equal((0, "hello pipeline\n"), (code, stdout));
        (code, stdout, _) = WorkflowProcess.Run(dir, "run", "args", "--", "one", "two words");
        Assert.Equal((0, "args: one 'two words'\n"), (code, stdout)); // shell-quoted, as go-task does
    }

    [Fact]
    public void List_and_summary_print_what_go_task_prints()
    {
        var dir = Project();
        var (code, stdout, _) = WorkflowProcess.Run(dir, "run", "--list");
        Assert.Equal(0, code);
        Assert.Equal("""
            task: Available tasks for this project:
            * build:         Build it      (aliases: b)
            * default:       Say hello

            """.Replace("\r\n", "\n"), stdout);
        (_, stdout, _) = WorkflowProcess.Run(dir, "run", "-a");
        Assert.Contains("* fail:", stdout);
        Assert.DoesNotContain("internal-step", stdout);
        (code, stdout, _) = WorkflowProcess.Run(dir, "run", "--summary", "build");
        Assert.Equal(0, code);
        // go-task's order: vars (the Taskfile's, filled in), dependencies, aliases, commands.
        Assert.Equal("task: build\n\nBuild it\n\nvars:\n  NAME: \"world\"\n\ndependencies:\n - gen\n\naliases:\n - b\n\ncommands:\n - echo building\n - echo quietly\n", stdout);
        (_, stdout, _) = WorkflowProcess.Run(dir, "run", "--list", "--format", "json");
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["build", "default"], json.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public void A_failing_command_exits_1_with_go_tasks_message_or_its_own_code_with_x()
    {
        var dir = Project();
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }, "run", "fail");
        Assert.Equal(1, code);
        Assert.Equal("about to fail\n::error title=Task 'fail' failed::task: Failed to run task \"fail\": exit status 7\n", stdout);
        Assert.EndsWith("task: Failed to run task \"fail\": exit status 7\n", stderr);
        (code, _, _) = WorkflowProcess.Run(dir, "run", "-x", "fail");
        Assert.Equal(7, code);
    }

    [Fact]
    public void Unknown_and_internal_tasks_and_invalid_Taskfiles_exit_2()
    {
        var dir = Project();
        var (code, _, stderr) = WorkflowProcess.Run(dir, "run", "biuld");
        Assert.Equal((2, "task: Task \"biuld\" does not exist. Did you mean \"build\"?\n"), (code, stderr));
        (code, _, stderr) = WorkflowProcess.Run(dir, "run", "internal-step");
        Assert.Equal((2, "task: Task \"internal-step\" is internal\n"), (code, stderr));

        File.WriteAllText(Path.Combine(dir, "Broken.yml"), "version: '3'\ntasks:\n  a:\n    deps: [nope]\n");
        (code, _, stderr) = WorkflowProcess.Run(dir, "run", "-t", "Broken.yml", "a");
        Assert.Equal(2, code);
        Assert.Contains("Broken.yml(4,12): error WF2001", stderr);
    }

    [Fact]
    public void Prefixed_output_and_dry_run()
    {
        var dir = Project();
        var (code, stdout, _) = WorkflowProcess.Run(dir, "run", "build", "--output", "prefixed", "--silent");
        Assert.Equal((0, "[gen] generating\n[build] building\n[build] quietly\n"), (code, stdout));
        (code, stdout, var stderr) = WorkflowProcess.Run(dir, "run", "build", "--dry-run");
        Assert.Equal((0, ""), (code, stdout));
        Assert.Equal("task: [gen] echo generating\ntask: [build] echo building\n", stderr);
    }

    [Fact]
    public void Ctrl_c_kills_the_running_command_and_exits_130()
    {
        var dir = WorkflowProcess.TempDir();
        var pidFile = Path.Combine(dir, "pid");
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), $$"""
            version: '3'
            tasks:
              long:
                cmds: ['echo $$ > "{{pidFile}}"; sleep 1000']
            """);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = WorkflowProcess.Start(dir, stdout, stderr, "run", "long");
        var child = WorkflowProcess.WaitForPid(pidFile);
        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "workflow did not exit after SIGINT");
        Assert.Equal(130, process.ExitCode);
        Assert.True(WorkflowProcess.IsGone(child), "the command outlived the run");
        var report = Path.Combine(Assert.Single(Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"))), "report.json");
        Assert.Equal("cancelled", JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void The_sample_Taskfile_prints_a_hostile_argument_and_does_not_run_it()
    {
        // It pasted {{.CLI_ARGS}} inside double quotes, so `-- '$(touch pwned)'` ran touch.
        var dir = WorkflowProcess.TempDir();
        File.Copy(Path.Combine(WorkflowProcess.RepoRoot, "samples", "taskfile", "Taskfile.yml"), Path.Combine(dir, "Taskfile.yml"));
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", "Taskfile.yml", "test", "APP=$(touch pwned-app)", "--", "$(touch pwned)", "`touch pwned2`");
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("testing $(touch pwned) `touch pwned2`", stdout);
        Assert.Contains("restoring $(touch pwned-app)", stdout);
        Assert.Empty(Directory.GetFiles(dir, "pwned*"));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "out"), "pwned*"));
    }

    [Fact]
    public void Calls_into_included_taskfiles_are_checked_where_they_are_written()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), """
            version: '3'
            includes:
              docs:
                taskfile: ./docs
                optional: true
            tasks:
              release:
                deps: [docs:build]
                cmds:
                  - task: docs:publsh
            """);
        // The optional include is missing: both calls would fail at run time.
        var (code, stdout, _) = WorkflowProcess.Run(dir, "validate", "Taskfile.yml");
        Assert.Equal(2, code);
        Assert.Contains("Taskfile.yml(8,12): error WF2010: task \"release\" calls \"docs:build\", but the optional include \"docs\" (./docs) is not there", stdout);
        Assert.Contains("Taskfile.yml(10,15): error WF2010", stdout);

        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        File.WriteAllText(Path.Combine(dir, "docs", "Taskfile.yml"), "version: '3'\ntasks:\n  build: echo build\n  publish: echo publish\n");
        (code, stdout, _) = WorkflowProcess.Run(dir, "validate", "Taskfile.yml");
        Assert.Equal(2, code);
        Assert.Contains("Taskfile.yml(10,15): error WF2010: task \"release\" calls \"docs:publsh\", but ./docs has no task \"publsh\"", stdout);
        Assert.Contains("did you mean \"docs:publish\"?", stdout);
        Assert.DoesNotContain("docs:build", stdout);

        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), File.ReadAllText(Path.Combine(dir, "Taskfile.yml")).Replace("publsh", "publish"));
        (code, stdout, _) = WorkflowProcess.Run(dir, "validate", "Taskfile.yml");
        Assert.True(code == 0, stdout);
    }

    [Fact]
    public void The_sample_taskfile_runs_every_task_it_lists_including_its_calls_into_docs()
    {
        var dir = WorkflowProcess.TempDir();
        foreach (var file in Directory.GetFiles(Path.Combine(WorkflowProcess.RepoRoot, "samples", "taskfile"), "Taskfile.yml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(Path.Combine(WorkflowProcess.RepoRoot, "samples", "taskfile"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", "Taskfile.yml", "release-prod");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("publishing docs of prod", stdout);
    }

    [Fact]
    public void An_interactive_task_reads_the_terminal_s_input_and_others_read_nothing()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), """
            version: '3'
            tasks:
              ask:
                interactive: true
                cmds: ['read -r answer; echo "got $answer"']
              quiet:
                cmds: ['read -r answer || true; echo "got [$answer]"']
            """);
        string Run(string task)
        {
            var psi = new ProcessStartInfo(WorkflowProcess.Host) { WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { WorkflowProcess.Dll, "run", "--silent", task }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            process.StandardInput.WriteLine("yes please");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000));
            return stdout.Result;
        }
        Assert.Equal("got yes please\n", Run("ask"));
        Assert.Equal("got []\n", Run("quiet"));
    }
}
