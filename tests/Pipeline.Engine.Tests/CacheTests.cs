using System.Text;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>
/// The content-addressed task cache: what a hit restores, what changes a key, that a change
/// upstream invalidates exactly the tasks downstream, atomic entries in a shared folder, and that
/// secrets never reach a key or an entry. Nothing here measures time.
/// </summary>
public sealed class CacheTests : IDisposable
{
    private readonly EngineHarness _h = new();
    private readonly TaskCache _cache;

    public CacheTests() => _cache = new TaskCache(Path.Combine(_h.Folder, "cache"));

    public void Dispose() => _h.Dispose();

    private string PathOf(string relative) => Path.Combine(_h.Folder, relative);

    private void WriteFile(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        File.WriteAllText(PathOf(relative), text);
    }

    private int Runs(string counter) => File.Exists(PathOf(counter)) ? File.ReadAllLines(PathOf(counter)).Length : 0;

    private Task<RunResult> Run(string tasks, RunOptions? options = null, string extraFields = "")
    {
        _h.Events.Clear();
        return _h.RunTasks(tasks, extraFields, (options ?? new RunOptions()) with { Cache = _cache });
    }

    private static Dictionary<string, TaskState> States(RunResult run) => run.Tasks.ToDictionary(t => t.TaskId, t => t.State);

    [Fact]
    public async Task A_hit_restores_outputs_files_and_log_without_running_the_task()
    {
        WriteFile("src/a.txt", "alpha\n");
        WriteFile("src/b.txt", "beta\n");
        const string tasks = """
            [ { "id": "build", "type": "shell", "inputs": ["src/*.txt"], "generates": ["out/**"],
                "command": "echo run >> build.count; mkdir -p out/sub; cat src/*.txt > out/all.txt; echo x > out/sub/tool; chmod 755 out/sub/tool; echo building; echo careful >&2; echo version=1.2 >> \"$WORKFLOW_OUTPUT\"" },
              { "id": "use", "type": "shell", "depends_on": ["build"],
                "command": "echo \"v=${tasks.build.outputs.version} cached=${tasks.build.cached} status=${tasks.build.status} out=$(cat out/all.txt | tr '\\n' ' ')\"" } ]
            """;
        var first = await Run(tasks);
        Assert.Equal(TaskState.Succeeded, first.Task("build").State);
        Assert.Contains("v=1.2 cached=false status=succeeded", _h.Lines("use").Single());
        Directory.Delete(PathOf("out"), recursive: true);

        var second = await Run(tasks);
        var build = second.Task("build");
        Assert.Equal(TaskState.Cached, build.State);
        Assert.Equal(1, Runs("build.count"));
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Equal("alpha\nbeta\n", File.ReadAllText(PathOf("out/all.txt")));
        Assert.Equal("x\n", File.ReadAllText(PathOf("out/sub/tool")));
        if (!OperatingSystem.IsWindows()) Assert.True(File.GetUnixFileMode(PathOf("out/sub/tool")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("1.2", build.Outputs["version"]);
        Assert.Equal("building\n", build.Stdout);
        Assert.Equal("careful\n", build.Stderr);
        Assert.Contains(_h.Events.OfType<TaskOutput>(), o => o.InstanceId == "build" && o.Stream == OutputStream.Stdout && o.Line == "building");
        Assert.Contains(_h.Events.OfType<TaskOutput>(), o => o.InstanceId == "build" && o.Stream == OutputStream.Stderr && o.Line == "careful");
        Assert.DoesNotContain(_h.Events.OfType<TaskStarted>(), s => s.InstanceId == "build");
        // Expressions see a cached task as succeeded (conditions written before caching hold), and cached says so.
        Assert.Contains("v=1.2 cached=true status=succeeded out=alpha beta", _h.Lines("use").Single());
        Assert.Equal(TaskState.Succeeded, second.Task("use").State); // no inputs: never cached
    }

    [Fact]
    public async Task Each_kind_of_input_changes_the_key_and_nothing_else_does()
    {
        var variable = "PIPELINE_CACHE_TEST_" + Guid.NewGuid().ToString("N")[..8];
        var rendered = variable + "_R";
        var unrelated = variable + "_U";
        WriteFile("in/one.txt", "1");
        string Tasks(string extra = "", string indent = " ") => $$"""
            [ {{indent}}{ "id": "t", "type": "shell", "inputs": ["in/**", "!in/**/*.tmp"], "env": { "LEVEL": "debug" }, "cache": { "env": ["{{variable}}"] },
                "command": "echo run >> t.count; echo ${env.{{rendered}}}"{{extra}} } ]
            """;
        var environment = "\"environment\": { \"STAGE\": \"dev\" }";
        var expected = 0;
        async Task Expect(TaskState state, string tasks, string because, RunOptions? options = null, string? extraFields = null)
        {
            var run = await Run(tasks, options, extraFields ?? environment);
            if (state == TaskState.Succeeded) expected++;
            Assert.True(state == run.Task("t").State, $"{because}: expected {state}, was {run.Task("t").State}");
            Assert.Equal(expected, Runs("t.count"));
        }

        try
        {
            await Expect(TaskState.Succeeded, Tasks(), "the first run");
            await Expect(TaskState.Cached, Tasks(), "nothing changed");
            await Expect(TaskState.Cached, Tasks(indent: "\n\n     "), "only the layout of the file changed");
            Environment.SetEnvironmentVariable(unrelated, "x");
            await Expect(TaskState.Cached, Tasks(), "a process variable the task neither declares nor reads");

            File.WriteAllText(PathOf("in/one.txt"), "2");
            await Expect(TaskState.Succeeded, Tasks(), "an input's contents");
            await Expect(TaskState.Cached, Tasks(), "again unchanged");
            WriteFile("in/deep/two.txt", "new");
            await Expect(TaskState.Succeeded, Tasks(), "a new file matching a glob");
            WriteFile("in/deep/ignored.tmp", "new");
            await Expect(TaskState.Cached, Tasks(), "a new file an exclusion leaves out");
            File.Move(PathOf("in/deep/two.txt"), PathOf("in/deep/three.txt"));
            await Expect(TaskState.Succeeded, Tasks(), "a renamed input");

            await Expect(TaskState.Succeeded, Tasks(", \"timeout\": 60"), "the definition");
            await Expect(TaskState.Succeeded, Tasks().Replace("\"debug\"", "\"trace\""), "the task's env");
            await Expect(TaskState.Succeeded, Tasks().Replace("\"debug\"", "\"trace\""), "the workflow's environment", extraFields: "\"environment\": { \"STAGE\": \"prod\" }");
            await Expect(TaskState.Succeeded, Tasks().Replace("\"debug\"", "\"trace\""), "an --env override",
                new RunOptions { Environment = new Dictionary<string, string> { ["STAGE"] = "qa" } }, "\"environment\": { \"STAGE\": \"prod\" }");
            environment = "\"environment\": { \"STAGE\": \"prod\" }";

            Environment.SetEnvironmentVariable(variable, "one");
            await Expect(TaskState.Succeeded, Tasks(), "a variable listed in cache.env");
            Environment.SetEnvironmentVariable(rendered, "value");
            await Expect(TaskState.Succeeded, Tasks(), "a process variable a field renders");
            await Expect(TaskState.Cached, Tasks(), "all of it unchanged");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            Environment.SetEnvironmentVariable(rendered, null);
            Environment.SetEnvironmentVariable(unrelated, null);
        }
    }

    [Fact]
    public async Task A_changed_file_re_runs_exactly_the_tasks_downstream_of_it()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" }) WriteFile($"{name}/input.txt", name);
        static string T(string id, string deps) => $$"""
            { "id": "{{id}}", "type": "shell", "inputs": ["{{id}}/**"], "depends_on": [{{deps}}], "command": "echo {{id}} >> ran.log" }
            """;
        var tasks = $"[ {T("a", "")}, {T("b", "\"a\"")}, {T("c", "\"b\"")}, {T("d", "")}, {T("e", "\"d\"")} ]";

        await Run(tasks);
        var all = States(await Run(tasks));
        Assert.All(all.Values, s => Assert.Equal(TaskState.Cached, s));

        File.Delete(PathOf("ran.log"));
        File.WriteAllText(PathOf("a/input.txt"), "changed");
        var states = States(await Run(tasks));
        Assert.Equal(["a", "b", "c"], File.ReadAllLines(PathOf("ran.log")).Order());
        Assert.Equal(TaskState.Cached, states["d"]);
        Assert.Equal(TaskState.Cached, states["e"]);

        File.Delete(PathOf("ran.log"));
        File.WriteAllText(PathOf("b/input.txt"), "changed");
        await Run(tasks);
        Assert.Equal(["b", "c"], File.ReadAllLines(PathOf("ran.log")).Order());
    }

    [Fact]
    public async Task Failures_tasks_without_inputs_and_cache_false_never_make_entries()
    {
        WriteFile("in/x.txt", "x");
        const string tasks = """
            [ { "id": "fails", "type": "shell", "inputs": ["in/**"], "command": "echo run >> fails.count; exit 3", "continue_on_error": true },
              { "id": "plain", "type": "shell", "command": "echo run >> plain.count" },
              { "id": "off", "type": "shell", "inputs": ["in/**"], "cache": false, "command": "echo run >> off.count" } ]
            """;
        await Run(tasks);
        var second = await Run(tasks);
        Assert.Equal(2, Runs("fails.count"));
        Assert.Equal(2, Runs("plain.count"));
        Assert.Equal(2, Runs("off.count"));
        Assert.DoesNotContain(second.Tasks, t => t.State == TaskState.Cached);
        Assert.Empty(_cache.Entries());
    }

    [Fact]
    public async Task A_forced_run_runs_cached_tasks_and_writes_their_entries_afresh()
    {
        WriteFile("in/x.txt", "x");
        const string tasks = """[ { "id": "t", "type": "shell", "inputs": ["in/**"], "command": "echo run >> t.count; echo \"n=$(wc -l < t.count)\" >> \"$WORKFLOW_OUTPUT\"" } ]""";
        await Run(tasks);
        Assert.Equal(TaskState.Succeeded, (await Run(tasks, new RunOptions { RefreshCache = true })).Task("t").State);
        Assert.Equal(2, Runs("t.count"));
        var third = await Run(tasks);
        Assert.Equal(TaskState.Cached, third.Task("t").State);
        Assert.Equal("2", third.Task("t").Outputs["n"].Trim()); // the refreshed entry, not the first one
        Assert.Single(_cache.Entries());
    }

    [Fact]
    public async Task Secrets_never_enter_a_key_or_an_entry()
    {
        const string secret = "s3cr3t-Value-Do-Not-Store";
        WriteFile("in/x.txt", "x");
        var tasks = """
            [ { "id": "uses", "type": "shell", "inputs": ["in/**"], "env": { "TOKEN": "${secrets.API}" }, "generates": ["uses.out"],
                "command": "echo run >> uses.count; test \"$TOKEN\" = \"$EXPECTED\" && echo ok > uses.out; echo token checked" },
              { "id": "prints", "type": "shell", "inputs": ["in/**"], "env": { "TOKEN": "${secrets.API}" }, "command": "echo run >> prints.count; echo \"$TOKEN\"" },
              { "id": "writes", "type": "shell", "inputs": ["in/**"], "generates": ["leak.txt"], "env": { "TOKEN": "${secrets.API}" },
                "command": "echo run >> writes.count; printf 'key: %s' \"$TOKEN\" | base64 > leak.txt" },
              { "id": "publishes", "type": "shell", "inputs": ["in/**"], "env": { "TOKEN": "${secrets.API}" },
                "command": "echo run >> publishes.count; echo \"value=$TOKEN\" >> \"$WORKFLOW_OUTPUT\"" } ]
            """;
        var options = new RunOptions
        {
            Secrets = new Dictionary<string, string> { ["API"] = secret },
            Environment = new Dictionary<string, string> { ["EXPECTED"] = secret },
        };
        var first = await Run(tasks, options, "\"secrets\": [\"API\"]");
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Contains(first.Warnings, w => w.Contains("'prints' was not cached", StringComparison.Ordinal));
        Assert.Contains(first.Warnings, w => w.Contains("'writes' was not cached: leak.txt holds a secret", StringComparison.Ordinal));
        Assert.Contains(first.Warnings, w => w.Contains("'publishes' was not cached", StringComparison.Ordinal));

        var second = await Run(tasks, options, "\"secrets\": [\"API\"]");
        Assert.Equal(TaskState.Cached, second.Task("uses").State);
        Assert.Equal(TaskState.Succeeded, second.Task("prints").State);
        Assert.Equal(TaskState.Succeeded, second.Task("writes").State);
        Assert.Equal(TaskState.Succeeded, second.Task("publishes").State);

        var entry = Assert.Single(_cache.Entries());
        var parts = CacheEntry.Read(entry.Directory)!.Parts;
        Assert.Contains(new KeyPart("env:TOKEN", CacheKeys.SecretPart), parts);
        Assert.Contains(new KeyPart("env:EXPECTED", CacheKeys.SecretPart), parts); // an --env value equal to a secret is one
        var forms = new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), Convert.ToBase64String(Encoding.UTF8.GetBytes("key: " + secret)) };
        foreach (var file in Directory.EnumerateFiles(_cache.Directory, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(forms, f => text.Contains(f, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Runs_sharing_a_cache_folder_never_see_half_an_entry()
    {
        // Three checkouts of one workflow write the same keys into one folder at once while a reader
        // checks that every entry it can see is whole: entry.json readable, every file it lists there.
        var tasks = "[" + string.Join(",", Enumerable.Range(0, 24).Select(i => $$"""
            { "id": "t{{i}}", "type": "shell", "inputs": ["in/**"], "generates": ["out/t{{i}}/**"],
              "command": "mkdir -p out/t{{i}}; for f in 1 2 3 4 5 6; do head -c 65536 /dev/zero > out/t{{i}}/$f.bin; done; echo r=t{{i}} >> \"$WORKFLOW_OUTPUT\"" }
            """)) + "]";
        var checkouts = Enumerable.Range(0, 3).Select(i => new EngineHarness()).ToList();
        try
        {
            foreach (var c in checkouts)
            {
                Directory.CreateDirectory(Path.Combine(c.Folder, "in"));
                File.WriteAllText(Path.Combine(c.Folder, "in", "x.txt"), "same");
            }
            using var stop = new CancellationTokenSource();
            var problems = new List<string>();
            var checkedEntries = 0;
            var reader = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                    foreach (var e in _cache.Entries())
                    {
                        var entry = CacheEntry.Read(e.Directory);
                        if (entry is null) { if (Directory.Exists(e.Directory)) lock (problems) problems.Add($"{e.Key}: no readable entry.json"); continue; }
                        for (var i = 0; i < entry.Files.Count; i++)
                        {
                            var file = new FileInfo(Path.Combine(e.Directory, "files", i.ToString()));
                            if (Directory.Exists(e.Directory) && (!file.Exists || file.Length != entry.Files[i].Size))
                                lock (problems) problems.Add($"{e.Key}: file {i} missing or short");
                        }
                        Interlocked.Increment(ref checkedEntries);
                    }
            });
            var runs = await Task.WhenAll(checkouts.Select(c => c.RunTasks(tasks, options: new RunOptions { Cache = _cache, MaxParallel = 4 })));
            stop.Cancel();
            await reader;
            Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
            Assert.Empty(problems);
            Assert.True(checkedEntries > 0, "the reader saw no entry");
            Assert.Equal(24, _cache.Entries().Count);
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_cache.Directory, "v1", "tmp")));

            // A fourth checkout takes everything from the shared folder.
            using var fresh = new EngineHarness();
            Directory.CreateDirectory(Path.Combine(fresh.Folder, "in"));
            File.WriteAllText(Path.Combine(fresh.Folder, "in", "x.txt"), "same");
            var restored = await fresh.RunTasks(tasks, options: new RunOptions { Cache = _cache });
            Assert.All(restored.Tasks, t => Assert.Equal(TaskState.Cached, t.State));
            Assert.Equal(65536, new FileInfo(Path.Combine(fresh.Folder, "out", "t7", "6.bin")).Length);
            Assert.Equal("t7", restored.Task("t7").Outputs["r"]);
        }
        finally
        {
            foreach (var c in checkouts) c.Dispose();
        }
    }

    [Fact]
    public async Task Prune_removes_least_recently_used_entries_first()
    {
        for (var i = 0; i < 3; i++) WriteFile($"in{i}/x.txt", new string('x', 1000));
        var tasks = "[" + string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""
            { "id": "t{{i}}", "type": "shell", "inputs": ["in{{i}}/**"], "generates": ["in{{i}}/x.txt"], "command": "true" }
            """)) + "]";
        await Run(tasks);
        var entries = _cache.Entries();
        Assert.Equal(3, entries.Count);
        // Make t0 the most recently used: only its entry is touched by a hit.
        foreach (var e in entries) Directory.SetLastWriteTimeUtc(e.Directory, DateTime.UtcNow.AddHours(-2));
        var onlyT0 = tasks.Replace("\"inputs\": [\"in1/**\"]", "\"inputs\": [\"in1/**\"], \"cache\": false").Replace("\"inputs\": [\"in2/**\"]", "\"inputs\": [\"in2/**\"], \"cache\": false");
        Assert.Equal(TaskState.Cached, (await Run(onlyT0)).Task("t0").State);

        var t0Bytes = _cache.Entries().MaxBy(x => x.LastUsed)!.Bytes;
        var pruned = _cache.Prune(maxBytes: t0Bytes);
        Assert.Equal(2, pruned.Removed);
        var after = await Run(tasks);
        Assert.Equal(TaskState.Cached, after.Task("t0").State);
        Assert.Equal(TaskState.Succeeded, after.Task("t1").State);

        Assert.Equal(3, _cache.Prune(maxBytes: null, olderThan: TimeSpan.Zero).Removed);
        Assert.Empty(_cache.Entries());
    }
}
