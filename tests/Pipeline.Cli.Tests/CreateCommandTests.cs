using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow create`: the wizard through its flags (no terminal) and through a pseudo-terminal with typed answers.</summary>
public sealed class CreateCommandTests
{
    private static JsonElement Read(string dir, string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "workflows", name + ".workflow.json"))).RootElement;

    [Fact]
    public void Flags_alone_write_a_valid_workflow_with_its_schema_that_runs()
    {
        var dir = WorkflowProcess.TempDir();
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "create", "--name", "nightly-backup", "--cron", "0 2 * * *", "--timezone", "Europe/Paris",
            "--env", "TARGET=/tmp/backups", "--secret", "DB_PASSWORD", "--notify", "console", "--notify-on", "completion",
            "--task", "id=dump,command=\"echo dumped, all of it > dump.txt\",timeout=10m",
            "--task", "id=check,command=test -s dump.txt,depends_on=dump,retry=2");
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote workflows/nightly-backup.workflow.json (2 task(s), trigger schedule)", stdout);
        Assert.Contains("workflow run nightly-backup --dry-run", stdout);

        var w = Read(dir, "nightly-backup");
        Assert.Equal("./workflow.schema.json", w.GetProperty("$schema").GetString());
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "workflow.schema.json")));
        Assert.Equal("0 2 * * *", w.GetProperty("trigger").GetProperty("config").GetProperty("schedule").GetString());
        Assert.Equal("Europe/Paris", w.GetProperty("trigger").GetProperty("config").GetProperty("timezone").GetString());
        Assert.Equal("/tmp/backups", w.GetProperty("environment").GetProperty("TARGET").GetString());
        Assert.Equal("DB_PASSWORD", w.GetProperty("secrets")[0].GetString());
        Assert.True(w.GetProperty("notifications").GetProperty("on_completion").GetBoolean());
        var tasks = w.GetProperty("tasks");
        Assert.Equal("echo dumped, all of it > dump.txt", tasks[0].GetProperty("command").GetString()); // the quoted comma stayed
        Assert.Equal("10m", tasks[0].GetProperty("timeout").GetString());
        Assert.Equal("dump", tasks[1].GetProperty("depends_on")[0].GetString());
        Assert.Equal(3, tasks[1].GetProperty("retry").GetProperty("attempts").GetInt32());

        Assert.Equal(0, WorkflowProcess.Run(dir, "validate").ExitCode);
        var run = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret-value" }, "run", "nightly-backup");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.StartsWith("dumped, all of it", File.ReadAllText(Path.Combine(dir, "workflows", "dump.txt")));
    }

    [Theory]
    [InlineData("--name|x", "give at least one --task")]
    [InlineData("--task|id=a,command=b", "name the workflow with --name")]
    [InlineData("--name|Nightly_Backup|--task|id=a,command=b", "e.g. \"nightly-backup\"")]
    [InlineData("--name|x|--cron|61 * * * *|--task|id=a,command=b", "--cron \"61 * * * *\": ")]
    [InlineData("--name|x|--trigger|schedule|--task|id=a,command=b", "--trigger schedule needs --cron")]
    [InlineData("--name|x|--task|id=a,type=sql,connection=c", "a sql task needs query=")]
    [InlineData("--name|x|--task|id=a,type=loop,items=b", "conditional, parallel and loop tasks are written in the file")]
    [InlineData("--name|x|--task|id=a,command=\"b", "the quote after command= is not closed")]
    [InlineData("--name|x|--task|id=a,command=b,depends_on=build", "depends on unknown task 'build'")]
    public void Bad_answers_are_refused_with_exit_2_and_nothing_is_written(string args, string expected)
    {
        var dir = WorkflowProcess.TempDir();
        var (code, _, stderr) = WorkflowProcess.Run(dir, ["create", .. args.Split('|')]);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "workflows")) && Directory.EnumerateFiles(Path.Combine(dir, "workflows"), "*.workflow.json").Any());
    }

    [Fact]
    public void An_existing_file_is_kept_unless_forced()
    {
        var dir = WorkflowProcess.TempDir();
        Assert.Equal(0, WorkflowProcess.Run(dir, "create", "-n", "web", "--webhook-path", "/hooks/web", "-t", "id=a,command=echo one").ExitCode);
        var again = WorkflowProcess.Run(dir, "create", "-n", "web", "-t", "id=a,command=echo two");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists; pass --force", again.Stderr);
        Assert.Equal("webhook", Read(dir, "web").GetProperty("trigger").GetProperty("type").GetString());
        Assert.Equal(0, WorkflowProcess.Run(dir, "create", "-n", "web", "-t", "id=a,command=echo two", "--force").ExitCode);
        Assert.Equal("echo two", Read(dir, "web").GetProperty("tasks")[0].GetProperty("command").GetString());
    }

    [Fact]
    public void From_a_subfolder_it_writes_into_the_repository_roots_workflows()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        var sub = Directory.CreateDirectory(Path.Combine(dir, "src", "api")).FullName;
        var (code, stdout, stderr) = WorkflowProcess.Run(sub, "create", "-n", "api-ci", "-t", "id=build,command=true", "-y");
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "api-ci.workflow.json")), stdout);
        Assert.Equal(0, WorkflowProcess.Run(sub, "run", "api-ci").ExitCode);
    }

    [Fact]
    public void On_a_terminal_the_wizard_asks_each_question_and_reads_the_cron_back()
    {
        var dir = WorkflowProcess.TempDir();
        using var t = new PseudoTerminal(dir, "create");
        t.Answer("Workflow name", "Orders\r");            // refused: not kebab-case
        t.Expect("try orders");
        t.Type("orders-etl\r");
        t.Answer("Description", "Loads the day's orders\r");
        t.Answer("Category:", string.Concat(Enumerable.Repeat(PseudoTerminal.Down, 4)) + "\r"); // data
        t.Expect("Category: data");
        t.Answer("What starts it?", PseudoTerminal.Down + "\r");                                                   // schedule
        t.Answer("Cron schedule", "30 6 * * 1-5\r");
        t.Expect("at 06:30, on weekdays");
        t.Answer("Is that the schedule you want?", "y\r");
        t.Answer("Time zone", "\r");
        t.Answer("Environment variable", "REGION=eu\r");
        t.Answer("Environment variable", "\r");
        t.Answer("Secrets it needs", "\r");
        t.Answer("Notify which channels?", PseudoTerminal.Down + PseudoTerminal.Down + PseudoTerminal.Down + " \r"); // console
        t.Answer("Notify on:", "\r");                                                                                 // failure
        t.Answer("Task id:", "extract\r");
        t.Answer("Type:", PseudoTerminal.Down + "\r");                                                                // http
        t.Answer("URL to call", "http://127.0.0.1:9/orders\r");
        t.Answer("Method:", "\r");
        t.Answer("Timeout", "30\r");
        t.Answer("Retries after a failure", "2\r");
        t.Answer("Add another task?", "y\r");
        t.Answer("Task id:", "load\r");
        t.Answer("Type:", "\r");                                                                                      // shell
        t.Answer("Command to run", "echo loaded\r");
        t.Answer("Runs after", " \r");                                                                                // extract
        t.Answer("Timeout", "\r");
        t.Answer("Retries after a failure", "\r");
        t.Answer("Add another task?", "n\r");
        t.Expect("Wrote workflows/orders-etl.workflow.json (2 task(s), trigger schedule)");
        Assert.Equal(0, t.WaitForExit());

        var w = Read(dir, "orders-etl");
        Assert.Equal("Loads the day's orders", w.GetProperty("description").GetString());
        Assert.Equal("data", w.GetProperty("category").GetString());
        Assert.Equal("30 6 * * 1-5", w.GetProperty("trigger").GetProperty("config").GetProperty("schedule").GetString());
        Assert.Equal("eu", w.GetProperty("environment").GetProperty("REGION").GetString());
        Assert.Equal("console", w.GetProperty("notifications").GetProperty("channels")[0].GetString());
        var tasks = w.GetProperty("tasks");
        Assert.Equal("http", tasks[0].GetProperty("type").GetString());
        Assert.Equal("http://127.0.0.1:9/orders", tasks[0].GetProperty("url").GetString());
        Assert.Equal(30, tasks[0].GetProperty("timeout").GetInt32());
        Assert.Equal(3, tasks[0].GetProperty("retry").GetProperty("attempts").GetInt32());
        Assert.Equal("extract", tasks[1].GetProperty("depends_on")[0].GetString());
        Assert.Equal(0, WorkflowProcess.Run(dir, "validate").ExitCode);
    }
}
