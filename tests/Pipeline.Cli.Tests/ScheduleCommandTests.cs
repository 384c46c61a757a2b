using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>
/// `workflow schedule` against the machine's real schedulers: the cron package's `crontab` (the
/// table is saved first and restored after) and `systemd-analyze verify` on the units written.
/// </summary>
public sealed class ScheduleCommandTests
{
    private static string Project(string schedule, string? timezone = null)
    {
        var dir = WorkflowProcess.TempDir();
        var zone = timezone is null ? "" : $", \"timezone\": \"{timezone}\"";
        File.WriteAllText(Path.Combine(dir, "nightly.workflow.json"), $$"""
            { "name": "nightly", "trigger": { "type": "schedule", "config": { "schedule": "{{schedule}}"{{zone}} } },
              "tasks": [{ "id": "hello", "type": "shell", "command": "echo \"hello from ${trigger.type}\" > fired.txt" }] }
            """);
        return dir;
    }

    private static (int Exit, string Output) Crontab(string args, string? input = null)
    {
        var psi = new ProcessStartInfo("crontab", args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        using var p = Process.Start(psi)!;
        if (input is not null) { p.StandardInput.Write(input); p.StandardInput.Close(); }
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Fact]
    public void Cron_install_adds_one_marked_line_that_runs_the_workflow_and_remove_takes_only_it()
    {
        var saved = Crontab("-l");
        try
        {
            Assert.Equal(0, Crontab("-", "17 4 * * * /bin/true # someone else's job\n").Exit);
            var dir = Project("30 2 * * 1-5");
            var (code, stdout, stderr) = WorkflowProcess.Run(dir, "schedule", "install", "nightly", "--with", "cron");
            Assert.True(code == 0, stdout + stderr);
            var table = Crontab("-l").Output;
            Assert.Contains("17 4 * * * /bin/true # someone else's job", table);
            var line = Assert.Single(table.Split('\n'), l => l.Contains("# pipeline-workflow "));
            Assert.StartsWith("30 2 * * 1-5 cd '", line);
            Assert.EndsWith($"# pipeline-workflow {Path.Combine(dir, "nightly.workflow.json")}", line);

            // The line as cron would run it: /bin/sh, a bare environment.
            var command = string.Join(' ', line.Split(' ').Skip(5));
            var sh = new ProcessStartInfo("/bin/sh") { WorkingDirectory = "/" };
            sh.ArgumentList.Add("-c");
            sh.ArgumentList.Add(command);
            sh.Environment.Clear();
            sh.Environment["PATH"] = "/usr/bin:/bin";
            sh.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root";
            using (var p = Process.Start(sh)!) Assert.True(p.WaitForExit(60_000) && p.ExitCode == 0);
            Assert.Equal("hello from schedule", File.ReadAllText(Path.Combine(dir, "fired.txt")).Trim());
            Assert.Contains("nightly succeeded", File.ReadAllText(Path.Combine(dir, ".workflow", "schedule", "nightly.log")));
            var history = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement;
            Assert.Equal("schedule", history[0].GetProperty("trigger").GetString());

            var (_, list, _) = WorkflowProcess.Run(dir, "schedule", "list");
            Assert.Contains("30 2 * * 1-5  at 02:30, on weekdays", list);
            Assert.Contains("installed: crontab (30 2 * * 1-5)", list);

            // Installing again replaces its line; removing leaves the other entry.
            Assert.Equal(0, WorkflowProcess.Run(dir, "schedule", "install", "nightly", "--with", "cron").ExitCode);
            Assert.Single(Crontab("-l").Output.Split('\n'), l => l.Contains("# pipeline-workflow "));
            var (removed, removeOut, _) = WorkflowProcess.Run(dir, "schedule", "remove", "nightly", "--with", "cron");
            Assert.Equal(0, removed);
            Assert.Contains("removed nightly from the crontab", removeOut);
            Assert.Equal("17 4 * * * /bin/true # someone else's job\n", Crontab("-l").Output);
        }
        finally
        {
            if (saved.Exit == 0) Crontab("-", saved.Output);
            else Crontab("-r");
        }
    }

    [Fact]
    public void Systemd_install_writes_units_that_systemd_analyze_verifies_and_says_how_to_enable_them()
    {
        var dir = Project("0 9 * * 1-5", "Europe/Berlin");
        var config = Path.Combine(dir, "config");
        var env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config, ["XDG_RUNTIME_DIR"] = Path.Combine(dir, "no-runtime") };
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, env, "schedule", "install", "nightly", "--with", "systemd");
        Assert.True(code == 0, stdout + stderr);
        var timer = File.ReadAllText(Path.Combine(config, "systemd", "user", "pipeline-nightly.timer"));
        Assert.Contains("OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 09:00:00 Europe/Berlin", timer);
        Assert.Contains("Persistent=true", timer);
        var service = File.ReadAllText(Path.Combine(config, "systemd", "user", "pipeline-nightly.service"));
        Assert.Contains($"WorkingDirectory={dir}", service);
        Assert.Contains("--trigger schedule", service);
        Assert.Contains("systemctl --user enable --now pipeline-nightly.timer", stdout);

        // systemd-analyze checked them inside install; check again here so a silent skip cannot pass.
        var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", Path.Combine(config, "systemd", "user", "pipeline-nightly.service"), Path.Combine(config, "systemd", "user", "pipeline-nightly.timer")]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var complaints = verify.StandardError.ReadToEnd();
        verify.WaitForExit();
        Assert.True(verify.ExitCode == 0, complaints);

        Assert.Contains("systemd user timer", WorkflowProcess.RunWithEnvironment(dir, env, "schedule", "list").Stdout);
        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "schedule", "remove", "nightly", "--with", "systemd").ExitCode);
        Assert.False(File.Exists(Path.Combine(config, "systemd", "user", "pipeline-nightly.timer")));
    }

    [Fact]
    public void Windows_install_writes_Task_Scheduler_XML_and_the_schtasks_command()
    {
        var dir = Project("30 2 * * 1-5");
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "schedule", "install", "nightly", "--with", "windows");
        Assert.True(code == 0, stdout + stderr);
        var path = Path.Combine(dir, ".workflow", "schedule", "nightly.task.xml");
        var xml = System.Xml.Linq.XDocument.Load(path);
        Assert.Equal("Task", xml.Root!.Name.LocalName);
        Assert.Contains("ScheduleByWeek", xml.ToString());
        Assert.Contains($"schtasks /create /tn \"Pipeline\\nightly\" /xml \"{path}\"", stdout);
        Assert.Contains("Windows Task Scheduler XML", WorkflowProcess.Run(dir, "schedule", "list").Stdout);
        Assert.Contains("schtasks /delete", WorkflowProcess.Run(dir, "schedule", "remove", "nightly", "--with", "windows").Stdout);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("*/20 * * * * *", null, "cron", "at most once a minute")]
    [InlineData("0 0 * * 5L", null, "windows", "weeks of the month")]
    [InlineData("0 9 * * *", "Asia/Tokyo", "cron", "not Asia/Tokyo")]
    [InlineData("0 0 13 * 5", null, "cron", "match both")]
    [InlineData("0 0 15W * *", null, "systemd", "no OnCalendar= equivalent")]
    public void What_a_scheduler_cannot_run_exactly_is_refused_at_the_schedule_with_the_reason(string schedule, string? timezone, string with, string reason)
    {
        var dir = Project(schedule, timezone);
        var env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(dir, "config") };
        var (code, _, stderr) = WorkflowProcess.RunWithEnvironment(dir, env, "schedule", "install", "nightly", "--with", with);
        Assert.Equal(2, code);
        Assert.Matches(@"nightly\.workflow\.json\(1,\d+\): error: """, stderr);
        Assert.Contains(reason, stderr);
        Assert.Contains("hint:", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "config")));
    }

    [Fact]
    public void A_workflow_without_a_schedule_is_refused_and_help_shows_the_install_commands()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "plain.workflow.json"), """{ "name": "plain", "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }""");
        var (code, _, stderr) = WorkflowProcess.Run(dir, "schedule", "install", "plain", "--with", "cron");
        Assert.Equal(2, code);
        Assert.Contains("has no schedule trigger", stderr);
        var (_, help, _) = WorkflowProcess.Run(dir, "schedule", "--help");
        Assert.Contains("workflow schedule install nightly --with cron", help);
        Assert.Contains("--with systemd --system", help);
    }
}
