using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Cli.Tests;

/// <summary>
/// `workflow ci github`: the Actions files pass actionlint (tests/services/actionlint.sh installs it),
/// their job graph carries the workflow's DAG, the triggers translate, and the jobs' own commands,
/// run in order, run every task once.
/// </summary>
public sealed class CiGitHubTests
{
    private static readonly string[] TemplateNames = ["ci", "deploy", "backup", "etl", "webhook-handler"];

    /// <summary>A repository (a .git folder) holding the workflow files given.</summary>
    private static string Repository(params (string Name, string Json)[] workflows)
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        foreach (var (name, json) in workflows) File.WriteAllText(Path.Combine(dir, "workflows", name + ".workflow.json"), json);
        return dir;
    }

    private static (int Code, string Output) Actionlint(string dir, IEnumerable<string> files)
    {
        var modules = Environment.GetEnvironmentVariable("PIPELINE_TEST_ACTIONLINT_MODULES") is { Length: > 0 } m ? m
            : throw new InvalidOperationException("PIPELINE_TEST_ACTIONLINT_MODULES is not set: run the tests through tests/run, or source tests/services/actionlint.sh first (it installs actionlint)");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actionlint.cjs"));
        foreach (var f in files) psi.ArgumentList.Add(f);
        psi.Environment["NODE_PATH"] = modules;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "actionlint did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Jobs(YamlMappingNode doc) => (YamlMappingNode)doc["jobs"];

    private static IReadOnlyList<string> Needs(YamlMappingNode job) =>
        job.Children.TryGetValue("needs", out var n) ? ((YamlSequenceNode)n).Children.Select(c => ((YamlScalarNode)c).Value!).ToList() : [];

    /// <summary>The tasks a job runs: its --only list, or every task for a job without one.</summary>
    private static string? RunLine(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Children.OfType<YamlMappingNode>()
            .Select(s => s.Children.TryGetValue("run", out var r) ? ((YamlScalarNode)r).Value : null)
            .LastOrDefault(r => r is not null && r.Contains(" run "));

    private static IReadOnlyList<string>? OnlyTasks(YamlMappingNode job) =>
        RunLine(job) is { } line && System.Text.RegularExpressions.Regex.Match(line, @"--only (\S+)") is { Success: true } m ? m.Groups[1].Value.Split(',') : null;

    [Fact]
    public void Every_template_in_every_layout_passes_actionlint_and_its_jobs_carry_the_DAG()
    {
        var dir = Repository();
        foreach (var t in TemplateNames) Assert.Equal(0, WorkflowProcess.Run(dir, "generate", "--template", t).ExitCode);
        var files = new List<string>();
        foreach (var t in TemplateNames)
            foreach (var layout in new[] { "per-task", "per-level", "single" })
            {
                var output = $".github/workflows/{t}-{layout}.yml";
                var (code, stdout, stderr) = WorkflowProcess.Run(dir, "ci", "github", t, "--jobs", layout, "--output", output);
                Assert.True(code == 0, stdout + stderr);
                files.Add(output);
            }
        var lint = Actionlint(dir, files);
        Assert.True(lint.Code == 0, "actionlint:\n" + lint.Output);

        foreach (var t in TemplateNames)
        {
            var dag = DagOf(Path.Combine(dir, "workflows", t + ".workflow.json"));
            foreach (var layout in new[] { "per-task", "per-level" })
            {
                var jobs = Jobs(Load(Path.Combine(dir, $".github/workflows/{t}-{layout}.yml")));
                var jobOf = new Dictionary<string, string>();
                foreach (var (key, value) in jobs.Children)
                    foreach (var task in OnlyTasks((YamlMappingNode)value)!) jobOf.Add(task, ((YamlScalarNode)key).Value!); // Add: each task in one job
                Assert.Equal(dag.Keys.Order(), jobOf.Keys.Order());
                // Every dependency is in the same job or in a job the dependent's job needs (directly or not).
                foreach (var (task, deps) in dag)
                    foreach (var dep in deps)
                        Assert.True(jobOf[task] == jobOf[dep] || Reaches(jobs, jobOf[task], jobOf[dep]), $"{t} {layout}: {task} after {dep}, but job {jobOf[task]} does not need {jobOf[dep]}");
                if (layout == "per-task")
                    foreach (var (key, value) in jobs.Children) // and needs adds nothing the DAG does not have
                        foreach (var need in Needs((YamlMappingNode)value))
                            Assert.Contains(OnlyTasks((YamlMappingNode)value)!, task => dag[task].Any(d => jobOf[d] == need));
            }
            var single = Jobs(Load(Path.Combine(dir, $".github/workflows/{t}-single.yml")));
            Assert.Single(single.Children);
            Assert.Null(OnlyTasks((YamlMappingNode)single.Children.Single().Value));
        }
    }

    /// <summary>The DAG's tasks (not callbacks, branches or members) and their depends_on, from the file.</summary>
    private static Dictionary<string, string[]> DagOf(string path)
    {
        var root = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var invoked = new HashSet<string>();
        foreach (var task in root.GetProperty("tasks").EnumerateArray())
            foreach (var role in new[] { "on_success", "on_failure", "then", "else", "tasks", "task" })
                if (task.TryGetProperty(role, out var list))
                    foreach (var r in list.ValueKind == System.Text.Json.JsonValueKind.Array ? list.EnumerateArray().ToArray() : [list])
                        if (r.ValueKind == System.Text.Json.JsonValueKind.String) invoked.Add(r.GetString()!); // ids; inline tasks are not top-level
        if (root.TryGetProperty("rollback", out var rollback)) foreach (var r in rollback.EnumerateArray()) invoked.Add(r.GetString()!);
        return root.GetProperty("tasks").EnumerateArray()
            .Where(t => !invoked.Contains(t.GetProperty("id").GetString()!))
            .ToDictionary(t => t.GetProperty("id").GetString()!,
                t => t.TryGetProperty("depends_on", out var d) ? d.EnumerateArray().Select(x => x.GetString()!).ToArray() : []);
    }

    private static bool Reaches(YamlMappingNode jobs, string from, string to)
    {
        var pending = new Stack<string>(Needs((YamlMappingNode)jobs[from]));
        var seen = new HashSet<string>();
        while (pending.Count > 0)
        {
            var job = pending.Pop();
            if (job == to) return true;
            if (seen.Add(job)) foreach (var n in Needs((YamlMappingNode)jobs[job])) pending.Push(n);
        }
        return false;
    }

    [Fact]
    public void The_jobs_commands_run_in_needs_order_run_every_task_once_with_outputs_across_a_shared_job()
    {
        // c reads a's output with b between: a, b and c must share a job; d runs on its own after c.
        var dir = Repository(("relay", """
            { "name": "relay", "tasks": [
              { "id": "a", "type": "shell", "command": "echo v=42 >> \"$WORKFLOW_OUTPUT\"; echo a >> ../ran", "outputs": ["v"] },
              { "id": "b", "type": "shell", "command": "echo b >> ../ran", "depends_on": ["a"] },
              { "id": "c", "type": "shell", "command": "echo c=${tasks.a.outputs.v} >> ../ran", "depends_on": ["b"] },
              { "id": "d", "type": "shell", "command": "echo d >> ../ran", "depends_on": ["c"] },
              { "id": "e", "type": "shell", "command": "echo e >> ../ran" }
            ] }
            """));
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "ci", "github", "relay");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Wrote .github/workflows/relay.yml: 3 job(s)", stdout);
        var path = Path.Combine(dir, ".github", "workflows", "relay.yml");
        Assert.Equal(0, Actionlint(dir, [path]).Code);
        var jobs = Jobs(Load(path));
        Assert.Equal(["a", "b", "c"], OnlyTasks((YamlMappingNode)jobs["a"]));
        Assert.Equal(["a"], Needs((YamlMappingNode)jobs["d"]));

        // Run each job's command as Actions would: a job once the jobs it needs are done.
        var done = new HashSet<string>();
        while (done.Count < jobs.Children.Count)
        {
            var ready = jobs.Children.First(j => !done.Contains(((YamlScalarNode)j.Key).Value!) && Needs((YamlMappingNode)j.Value).All(done.Contains));
            var line = RunLine((YamlMappingNode)ready.Value)!;
            Assert.StartsWith("workflow run workflows/relay.workflow.json --only ", line);
            var run = WorkflowProcess.Run(dir, line["workflow ".Length..].Split(' '));
            Assert.True(run.ExitCode == 0, line + "\n" + run.Stdout + run.Stderr);
            done.Add(((YamlScalarNode)ready.Key).Value!);
        }
        var ran = File.ReadAllLines(Path.Combine(dir, "ran"));
        Assert.Equal(["a", "b", "c", "d", "e"], ran.Select(l => l[..1]).Order());
        Assert.Contains("c=42", ran);
        Assert.True(Array.IndexOf(ran, "c=42") < Array.IndexOf(ran, "d"));
    }

    [Fact]
    public void Triggers_concurrency_conditions_and_timeouts_translate_and_what_cannot_is_noted()
    {
        var dir = Repository(("nightly", """
            { "name": "nightly", "concurrency": "cancel-previous",
              "triggers": [
                { "type": "schedule", "config": { "schedule": "0 2 * * *", "timezone": "Europe/Paris" } },
                { "type": "schedule", "config": { "schedule": "*/30 * * * * *" } },
                { "type": "webhook", "config": { "path": "/hooks/nightly" } },
                { "type": "file_change", "config": { "paths": ["../src/**"] } } ],
              "secrets": ["API_TOKEN"],
              "tasks": [
                { "id": "build", "type": "shell", "command": "true", "timeout": 600, "retry": { "attempts": 2, "delay": 60000 } },
                { "id": "report", "type": "shell", "command": "true", "condition": "trigger.type == 'schedule'", "depends_on": ["build"] },
                { "id": "untimed", "type": "shell", "command": "true" }
              ] }
            """));
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "ci", "github", "nightly");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("note: Actions schedules are in UTC", stderr);
        Assert.Contains("has seconds, which Actions schedules cannot express", stderr);
        var path = Path.Combine(dir, ".github", "workflows", "nightly.yml");
        var lint = Actionlint(dir, [path]);
        Assert.True(lint.Code == 0, lint.Output);

        var doc = Load(path);
        var on = (YamlMappingNode)doc["on"];
        Assert.Equal("0 2 * * *", ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)on["schedule"])[0])["cron"]).Value);
        Assert.Single((YamlSequenceNode)on["schedule"]);
        Assert.Equal("nightly", ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)on["repository_dispatch"])["types"])[0]).Value);
        Assert.Equal("workflows/../src/**", ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)on["push"])["paths"])[0]).Value);
        Assert.True(on.Children.ContainsKey("workflow_dispatch"));
        Assert.Equal("true", ((YamlScalarNode)((YamlMappingNode)doc["concurrency"])["cancel-in-progress"]).Value);

        var jobs = Jobs(doc);
        var build = (YamlMappingNode)jobs["build"];
        Assert.Equal("31", ((YamlScalarNode)build["timeout-minutes"]).Value); // 2 × 10 min + 1 min between + 10 for set-up
        Assert.False(((YamlMappingNode)jobs["untimed"]).Children.ContainsKey("timeout-minutes"));
        Assert.Equal("github.event_name == 'schedule'", ((YamlScalarNode)((YamlMappingNode)jobs["report"])["if"]).Value);
        Assert.Contains("--trigger ${{ github.event_name == 'schedule' && 'schedule' || 'manual' }}", RunLine(build));
        Assert.Contains("API_TOKEN: ${{ secrets.API_TOKEN }}", File.ReadAllText(path));
    }

    [Fact]
    public void A_file_it_did_not_write_is_kept_unless_forced_and_its_own_is_replaced()
    {
        var dir = Repository(("w", """{ "name": "w", "tasks": [ { "id": "a", "type": "shell", "command": "true" } ] }"""));
        var path = Path.Combine(dir, ".github", "workflows", "w.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "on: push\n");
        var refused = WorkflowProcess.Run(dir, "ci", "github", "w");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("was not written by workflow ci github; pass --force", refused.Stderr);
        Assert.Equal("on: push\n", File.ReadAllText(path));
        Assert.Equal(0, WorkflowProcess.Run(dir, "ci", "github", "w", "--force").ExitCode);
        Assert.Equal(0, WorkflowProcess.Run(dir, "ci", "github", "w", "--jobs", "single").ExitCode); // its own file: replaced
        Assert.Contains("--jobs single", File.ReadAllText(path));
    }

    [Fact]
    public void Run_only_refuses_to_leave_out_what_a_selected_task_reads_or_whose_outcome_it_asks()
    {
        var dir = Repository(("w", """
            { "name": "w", "tasks": [
              { "id": "a", "type": "shell", "command": "echo v=1 >> \"$WORKFLOW_OUTPUT\"", "outputs": ["v"] },
              { "id": "b", "type": "shell", "command": "echo ${tasks.a.outputs.v}", "depends_on": ["a"] },
              { "id": "c", "type": "shell", "command": "true", "condition": "failure()", "depends_on": ["a"] }
            ] }
            """));
        var reads = WorkflowProcess.Run(dir, "run", "w", "--only", "b");
        Assert.Equal(2, reads.ExitCode);
        Assert.Contains("task 'b' reads the result of 'a'", reads.Stderr);
        var asks = WorkflowProcess.Run(dir, "run", "w", "--only", "c");
        Assert.Equal(2, asks.ExitCode);
        Assert.Contains("select them together (--only c,a)", asks.Stderr);
        var unknown = WorkflowProcess.Run(dir, "run", "w", "--only", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no task 'nope'", unknown.Stderr);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "w", "--only", "a,b").ExitCode);
    }
}
