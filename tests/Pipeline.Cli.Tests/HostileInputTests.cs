using System.Diagnostics;
using System.Text;

namespace Pipeline.Cli.Tests;

/// <summary>
/// Inputs built to hurt (deep nesting, huge cycles) through the real process: each is a diagnostic with
/// a position and exit 2, never a crash, and costs time and memory in proportion to its size.
/// </summary>
public sealed class HostileInputTests
{
    private static string Nested(string open, string close, int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++) text.Append(open);
        text.Append("x");
        for (var i = 0; i < depth; i++) text.Append(close);
        return text.ToString();
    }

    private static string DeepTemplate(string kind, int depth) => kind switch
    {
        "if" => Nested("{{if true}}", "{{end}}", depth),
        "with" => Nested("{{with .NAME}}", "{{end}}", depth),
        "range" => Nested("{{range .LIST}}", "{{end}}", depth),
        _ => "{{" + Nested("(", ")", depth).Replace("x", "print 1") + "}}",
    };

    private static string TaskfileWith(string dir, string command)
    {
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), $"""
            version: '3'
            vars:
              NAME: world
              LIST: [a]
            tasks:
              default:
                cmds:
                  - 'echo {command}'
            """);
        return Path.Combine(dir, "Taskfile.yml");
    }

    [Theory]
    [InlineData("if")]
    [InlineData("with")]
    [InlineData("range")]
    [InlineData("parens")]
    public void A_template_nested_10000_deep_is_a_diagnostic_in_validate_and_run(string kind)
    {
        var dir = WorkflowProcess.TempDir();
        var file = TaskfileWith(dir, DeepTemplate(kind, 10_000));
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "validate", file);
        Assert.True(code == 2, $"validate exit {code}: {stdout}{stderr}");
        Assert.Contains("error WF3012", stdout);
        Assert.Contains("nested deeper than 100 levels", stdout);
        Assert.Matches(@"Taskfile\.yml\(8,\d+\): error WF3012", stdout);

        (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", file);
        Assert.True(code == 2, $"run exit {code}: {stdout}{stderr}");
        Assert.Contains("nested deeper than 100 levels", stdout + stderr);
    }

    [Fact]
    public void A_template_nested_100_deep_still_runs()
    {
        var dir = WorkflowProcess.TempDir();
        var file = TaskfileWith(dir, DeepTemplate("if", 100));
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", file);
        Assert.True(code == 0, $"run exit {code}: {stdout}{stderr}");
        Assert.Contains("x", stdout);
    }

    [Fact]
    public void A_20000_task_cycle_is_one_short_diagnostic()
    {
        // Once per edge, each naming every task, this was 20,000 diagnostics, 3.8 GB and 4 minutes.
        const int n = 20_000;
        var dir = WorkflowProcess.TempDir();
        var tasks = Enumerable.Range(0, n).Select(i => $$"""{"id":"t{{i}}","type":"shell","command":"true","depends_on":["t{{(i + 1) % n}}"]}""");
        File.WriteAllText(Path.Combine(dir, "ring.workflow.json"), $$"""{"name":"ring","tasks":[{{string.Join(",\n", tasks)}}]}""");
        var taskfile = new StringBuilder("version: '3'\ntasks:\n");
        for (var i = 0; i < n; i++) taskfile.Append($"  t{i}:\n    deps: [t{(i + 1) % n}]\n    cmds: [true]\n");
        Directory.CreateDirectory(Path.Combine(dir, "tf"));
        File.WriteAllText(Path.Combine(dir, "tf", "Taskfile.yml"), taskfile.ToString());

        foreach (var file in new[] { "ring.workflow.json", "tf/Taskfile.yml" })
        {
            var (code, stdout, stderr) = WorkflowProcess.Run(dir, "validate", file);
            Assert.True(code == 2, $"exit {code}: {stderr}");
            Assert.True(stdout.Length < 4_000, $"{stdout.Length} characters of output");
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "error WF2004"));
            Assert.Contains("t0 -> t1 -> t2 -> t3 -> t4 -> t5 -> t6 -> … 19992 more -> t19999 -> t0 (20000 tasks;", stdout);
        }
        var run = WorkflowProcess.Run(dir, "run", "ring.workflow.json");
        Assert.Equal(2, run.ExitCode);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--quiet")]
    public void A_task_printing_150_MB_runs_in_bounded_memory(string mode)
    {
        // Output lines used to queue in memory behind a slower display: 575 MB for 200 MB with --verbose.
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "spew.workflow.json"), """
            { "name": "spew", "tasks": [ { "id": "spew", "type": "shell", "command": "head -c 150000000 /dev/zero | tr '\\0' x | fold -w 100" } ] }
            """);
        // exec keeps the pid; the output goes to /dev/null so the test does not hold it either
        var psi = new ProcessStartInfo("sh", ["-c", $"exec \"$0\" \"$1\" run spew.workflow.json {mode} > /dev/null 2>&1", WorkflowProcess.Host, WorkflowProcess.Dll])
        {
            WorkingDirectory = dir,
        };
        using var process = Process.Start(psi)!;
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in File.ReadAllLines($"/proc/{process.Id}/status"))
                    if (line.StartsWith("VmHWM:")) peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
            }
            catch (IOException) { }
            Thread.Sleep(20);
        }
        Assert.Equal(0, process.ExitCode);
        Assert.True(peak > 0, "no memory reading was taken");
        Assert.True(peak < 220_000, $"peak resident memory {peak / 1024} MB for 150 MB of output");
    }
}
