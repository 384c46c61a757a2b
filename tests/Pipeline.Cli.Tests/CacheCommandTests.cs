using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>The task cache through the real `workflow` program: run, --dry-run, --force, --no-cache, history and `workflow cache`.</summary>
public sealed class CacheCommandTests
{
    private const string Tasks = """
        { "name": "site", "tasks": [
          { "id": "render", "type": "shell", "inputs": ["pages/**"], "generates": ["public/**"],
            "command": "echo run >> render.count; mkdir -p public; cat pages/*.md > public/index.html; echo rendered $(wc -l < public/index.html) lines" },
          { "id": "check", "type": "shell", "depends_on": ["render"], "inputs": ["public/**"], "command": "echo run >> check.count; grep -q home public/index.html" },
          { "id": "announce", "type": "shell", "depends_on": ["check"], "command": "echo done" } ] }
        """;

    private static string Setup()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "pages"));
        File.WriteAllText(Path.Combine(dir, "pages", "home.md"), "home\n");
        File.WriteAllText(Path.Combine(dir, "site.workflow.json"), Tasks);
        return dir;
    }

    private static int Count(string dir, string file) => File.Exists(Path.Combine(dir, file)) ? File.ReadAllLines(Path.Combine(dir, file)).Length : 0;

    [Fact]
    public void A_second_run_restores_cached_tasks_shows_them_and_records_them()
    {
        var dir = Setup();
        var first = WorkflowProcess.Run(dir, "run", "site.workflow.json");
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var (plan, planOut, _) = WorkflowProcess.Run(dir, "run", "site.workflow.json", "--dry-run");
        Assert.Equal(0, plan);
        Assert.Contains("cache: 2 of 2 cacheable tasks would be restored", planOut);
        Assert.Contains("render: cached (ran in", planOut);
        Directory.Delete(Path.Combine(dir, "public"), recursive: true);

        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "site.workflow.json");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("↺ render cached: ran in", stdout);
        Assert.Contains("↺ check cached", stdout);
        Assert.Contains("(2 of 3 tasks from the cache)", stdout);
        Assert.Equal(1, Count(dir, "render.count"));
        Assert.Equal("home\n", File.ReadAllText(Path.Combine(dir, "public", "index.html")));

        var (_, history, _) = WorkflowProcess.Run(dir, "history", "--format", "json");
        var latest = JsonDocument.Parse(history).RootElement[0].GetProperty("id").GetString()!;
        var (_, status, _) = WorkflowProcess.Run(dir, "status", latest, "--format", "json");
        var states = JsonDocument.Parse(status).RootElement.GetProperty("tasks").EnumerateArray()
            .ToDictionary(t => t.GetProperty("task_id").GetString()!, t => t.GetProperty("status").GetString());
        Assert.Equal("cached", states["render"]);
        Assert.Equal("succeeded", states["announce"]);
        // The replayed log is the run's log too.
        var report = Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs")).Select(r => Path.Combine(r, "report.json")).First(f => File.ReadAllText(f).Contains(latest));
        var render = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("instance_id").GetString() == "render");
        Assert.Equal("cached", render.GetProperty("status").GetString());
        Assert.Contains("rendered 1 lines", File.ReadAllText(Path.Combine(Path.GetDirectoryName(report)!, render.GetProperty("stdout_log").GetString()!)));

        // A changed page re-runs what depends on it, and says why.
        File.WriteAllText(Path.Combine(dir, "pages", "about.md"), "about\n");
        var (_, changedOut, _) = WorkflowProcess.Run(dir, "run", "site.workflow.json", "--verbose");
        Assert.Contains("not in the cache (changed: pages/about.md)", changedOut);
        Assert.Equal(2, Count(dir, "render.count"));
        Assert.Equal(2, Count(dir, "check.count"));
    }

    [Fact]
    public void No_cache_and_force_run_every_task_and_a_shared_folder_is_used_when_named()
    {
        var dir = Setup();
        var shared = Path.Combine(WorkflowProcess.TempDir(), "ci-cache");
        var env = new Dictionary<string, string> { ["WORKFLOW_CACHE_DIR"] = shared };
        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "run", "site.workflow.json").ExitCode);
        Assert.True(Directory.Exists(Path.Combine(shared, "v1")), "the entries go to WORKFLOW_CACHE_DIR");
        Assert.False(Directory.Exists(Path.Combine(dir, ".workflow", "cache")));

        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "run", "site.workflow.json", "--no-cache").ExitCode);
        Assert.Equal(2, Count(dir, "render.count"));
        var (_, forced, _) = WorkflowProcess.RunWithEnvironment(dir, env, "run", "site.workflow.json", "--force");
        Assert.Equal(3, Count(dir, "render.count"));
        Assert.DoesNotContain("cached", forced);
        var (_, plain, _) = WorkflowProcess.RunWithEnvironment(dir, env, "run", "site.workflow.json");
        Assert.Equal(3, Count(dir, "render.count"));
        Assert.Contains("↺ render cached", plain);
    }

    [Fact]
    public void Cache_command_reports_prunes_to_a_size_and_clears()
    {
        var dir = Setup();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "site.workflow.json").ExitCode);
        var (code, info, _) = WorkflowProcess.Run(dir, "cache");
        Assert.Equal(0, code);
        Assert.Contains(Path.Combine(dir, ".workflow", "cache"), info);
        Assert.Contains("2 entries", info);

        var (bad, _, badError) = WorkflowProcess.Run(dir, "cache", "prune", "--max-size", "lots");
        Assert.Equal(2, bad);
        Assert.Contains("not a size such as 2GB", badError);
        Assert.Equal(2, WorkflowProcess.Run(dir, "cache", "prune").ExitCode);

        var (_, dry, _) = WorkflowProcess.Run(dir, "cache", "prune", "--max-size", "0", "--dry-run");
        Assert.Contains("Would remove 2 entries", dry);
        Assert.Contains("2 entries", WorkflowProcess.Run(dir, "cache").Stdout);
        var (_, kept, _) = WorkflowProcess.Run(dir, "cache", "prune", "--max-size", "2GB");
        Assert.Contains("Removed 0 entries", kept);

        var (_, cleared, _) = WorkflowProcess.Run(dir, "cache", "clear");
        Assert.Contains("Removed 2 entries", cleared);
        Assert.Contains("No entries.", WorkflowProcess.Run(dir, "cache").Stdout);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "site.workflow.json").ExitCode);
        Assert.Equal(2, Count(dir, "render.count"));
    }
}
