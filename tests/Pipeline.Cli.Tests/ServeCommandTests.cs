using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>The real `workflow serve` process on 127.0.0.1, driven with real HTTP requests.</summary>
public sealed class ServeCommandTests
{
    private const string Secret = "hook-secret-for-tests";

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Sign(string body) =>
        "sha256=" + Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))).ToLowerInvariant();

    private static async Task<HttpClient> WaitUntilServing(Process process, StringBuilder output, int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try { if ((await client.GetAsync("/healthz")).IsSuccessStatusCode) return client; }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("workflow serve did not answer /healthz:\n" + output);
    }

    [Fact]
    public void An_address_in_use_is_said_in_one_line_and_exits_2()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "w.workflow.json"), """{ "name": "w", "tasks": [ { "id": "a", "type": "shell", "command": "true" } ] }""");
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "serve", "--urls", url);
        Assert.Equal(2, code);
        Assert.Contains($"error: cannot listen on {url}", stdout + stderr);
        Assert.DoesNotContain("internal error", stdout + stderr);
        Assert.DoesNotContain("   at ", stdout + stderr); // no stack trace
    }

    [Fact]
    public async Task A_signed_webhook_starts_a_recorded_run_whose_status_is_served_and_SIGTERM_drains_it()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "deploy.workflow.json"), """
            { "name": "deploy", "secrets": ["HOOK_SECRET"],
              "trigger": { "type": "webhook", "config": { "path": "/hooks/deploy", "secret": "HOOK_SECRET" } },
              "tasks": [{ "id": "ship", "type": "shell", "command": "sleep 1; echo \"deploying ${trigger.payload.ref}\" > deployed.txt" }] }
            """);
        File.WriteAllText(Path.Combine(dir, "broken.workflow.json"), """{ "name": "broken", "tasks": [{ "id": "a", "type": "teleport" }] }""");
        var port = FreePort();
        var output = new StringBuilder();
        using var process = WorkflowProcess.StartWithEnvironment(dir, new Dictionary<string, string> { ["HOOK_SECRET"] = Secret }, output, output,
            "serve", "--urls", $"http://127.0.0.1:{port}", "--drain-timeout", "60s");
        try
        {
            using var client = await WaitUntilServing(process, output, port);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            lock (output) Assert.Contains("broken.workflow.json(1,52): error WF1016", output.ToString());

            const string body = """{ "ref": "main; touch pwned" }""";
            HttpRequestMessage Request(string path, string? signature)
            {
                var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                if (signature is not null) r.Headers.Add("X-Hub-Signature-256", signature);
                return r;
            }
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request("/hooks/deploy", Sign("other body")))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Request("/hooks/nowhere", Sign(body)))).StatusCode);
            var accepted = await client.SendAsync(Request("/hooks/deploy", Sign(body)));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("execution_id").GetString()!;

            // SIGTERM while the run sleeps: no new work, the run finishes, the server exits 0.
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            Assert.True(process.WaitForExit(60_000), output.ToString());
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("deploying main; touch pwned", File.ReadAllText(Path.Combine(dir, "deployed.txt")).Trim());
            Assert.False(File.Exists(Path.Combine(dir, "pwned"))); // the payload was a value, never script

            var status = JsonDocument.Parse(WorkflowProcess.Run(dir, "status", id, "--format", "json").Stdout).RootElement;
            Assert.Equal(("succeeded", "webhook"), (status.GetProperty("status").GetString(), status.GetProperty("trigger").GetString()));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task The_status_of_an_execution_is_served_as_workflow_status_prints_it()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "open.workflow.json"), """
            { "name": "open", "trigger": { "type": "webhook", "config": { "path": "/hooks/open" } },
              "tasks": [{ "id": "hello", "type": "shell", "command": "echo hello" }] }
            """);
        var port = FreePort();
        var output = new StringBuilder();
        using var process = WorkflowProcess.Start(dir, output, output, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using var client = await WaitUntilServing(process, output, port);
            lock (output) Assert.Contains("POST /hooks/open → open (no secret", output.ToString());
            var accepted = await client.PostAsync("/hooks/open", new StringContent("{}", Encoding.UTF8, "application/json"));
            var statusUrl = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("status_url").GetString()!;
            JsonElement status = default;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var response = await client.GetAsync(statusUrl);
                if (response.IsSuccessStatusCode)
                {
                    status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    if (status.GetProperty("status").GetString() == "succeeded") break;
                }
                await Task.Delay(50);
            }
            Assert.Equal("succeeded", status.GetProperty("status").GetString());
            Assert.Equal("hello", status.GetProperty("tasks")[0].GetProperty("output_excerpt").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/executions/19990101T000000000Z-000000")).StatusCode);
        }
        finally
        {
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task An_edited_file_takes_effect_and_an_edit_with_errors_keeps_the_last_good_version()
    {
        var dir = WorkflowProcess.TempDir();
        var file = Path.Combine(dir, "hook.workflow.json");
        string Workflow(string path) => $$"""
            { "name": "hook", "trigger": { "type": "webhook", "config": { "path": "{{path}}" } },
              "tasks": [{ "id": "hello", "type": "shell", "command": "echo hello" }] }
            """;
        File.WriteAllText(file, Workflow("/hooks/first"));
        var port = FreePort();
        var output = new StringBuilder();
        using var process = WorkflowProcess.Start(dir, output, output, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using var client = await WaitUntilServing(process, output, port);
            async Task<HttpStatusCode> Post(string path) => (await client.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode;
            async Task Until(string path, HttpStatusCode expected)
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (await Post(path) != expected)
                {
                    if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} never answered {expected}:\n{output}");
                    await Task.Delay(100);
                }
            }
            Assert.Equal(HttpStatusCode.Accepted, await Post("/hooks/first"));

            File.WriteAllText(file, Workflow("/hooks/second")); // an edit takes effect
            await Until("/hooks/second", HttpStatusCode.Accepted);
            Assert.Equal(HttpStatusCode.NotFound, await Post("/hooks/first"));

            File.WriteAllText(file, """{ "name": "hook", "tasks": [{ "id": "x", "type": "teleport" }] }"""); // an edit with errors
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!output.ToString().Contains("keeps running its last good version") && DateTime.UtcNow < deadline) await Task.Delay(100);
            lock (output)
            {
                Assert.Matches(@"hook\.workflow\.json\(1,\d+\): error WF1016", output.ToString());
                Assert.Contains("keeps running its last good version", output.ToString());
            }
            Assert.Equal(HttpStatusCode.Accepted, await Post("/hooks/second"));
        }
        finally
        {
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The fire times (from trigger_data) of the succeeded schedule runs recorded in the directory's store.</summary>
    private static List<DateTimeOffset> ScheduledRuns(string dir)
    {
        var database = Path.Combine(dir, ".workflow", "state.db");
        if (!File.Exists(database)) return [];
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT trigger_data FROM executions WHERE trigger = 'schedule' AND status = 'succeeded'";
            using var reader = query.ExecuteReader();
            var times = new List<DateTimeOffset>();
            while (reader.Read())
                times.Add(DateTimeOffset.Parse(JsonDocument.Parse(reader.GetString(0)).RootElement.GetProperty("scheduled_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            return times.Order().ToList();
        }
        catch (Microsoft.Data.Sqlite.SqliteException) { return []; } // not created yet, or busy
    }

    private static async Task<List<DateTimeOffset>> WaitForScheduledRuns(string dir, int count, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var runs = ScheduledRuns(dir);
            if (runs.Count >= count) return runs;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{runs.Count} of {count} schedule runs recorded:\n{output}");
            await Task.Delay(100);
        }
    }

    private static void Stop(Process process, StringBuilder output)
    {
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(60_000), output.ToString());
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_schedule_runs_each_fire_time_once_across_a_restart_that_crosses_one()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "tick.workflow.json"), """
            { "name": "tick", "trigger": { "type": "schedule", "config": { "schedule": "*/2 * * * * *" } },
              "tasks": [{ "id": "note", "type": "shell", "command": "echo \"${trigger.scheduled_at}\" >> ticks.txt" }] }
            """);
        var output = new StringBuilder();
        var port = FreePort();
        var process = WorkflowProcess.Start(dir, output, output, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using (var client = await WaitUntilServing(process, output, port))
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            await WaitForScheduledRuns(dir, 2, output);
            lock (output) Assert.Matches(@"\*/2 \* \* \* \* \* \(.+\) → tick, next", output.ToString());
            Stop(process, output);
            // workflow schedule list names serve as where the schedule is installed.
            var list = WorkflowProcess.Run(dir, "schedule", "list");
            Assert.Contains("installed: workflow serve (*/2 * * * * *; next ", list.Stdout);
        }
        finally { process.Dispose(); }

        // Down across at least one fire time (every 2 s): the clock passes the next one, then the server starts again.
        var before = ScheduledRuns(dir);
        var missed = before[^1].AddSeconds(4);
        while (DateTimeOffset.UtcNow < missed.AddMilliseconds(500)) await Task.Delay(100);

        output.Clear();
        using var again = WorkflowProcess.Start(dir, output, output, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            await WaitForScheduledRuns(dir, before.Count + 4, output);
            // The log line comes through the console logger's queue and the pipe: wait for it too.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!output.ToString().Contains("1 kept as stored") && DateTime.UtcNow < deadline) await Task.Delay(50);
            lock (output) Assert.Contains("1 kept as stored", output.ToString());
        }
        finally { Stop(again, output); }

        var runs = ScheduledRuns(dir);
        Assert.Equal(runs.Distinct().Count(), runs.Count); // none doubled
        for (var i = 1; i < runs.Count; i++) Assert.Equal(TimeSpan.FromSeconds(2), runs[i] - runs[i - 1]); // none lost, the missed ones included
        Assert.Contains(runs, r => r >= missed.AddSeconds(-2) && r <= missed);
        var lines = File.ReadAllLines(Path.Combine(dir, "ticks.txt"));
        Assert.Equal(runs.Count, lines.Length);
    }

    [Fact]
    public async Task Files_dropped_into_a_watched_folder_start_one_run_that_lists_them()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "inbox"));
        File.WriteAllText(Path.Combine(dir, "ingest.workflow.json"), """
            { "name": "ingest", "trigger": { "type": "file_change", "config": { "paths": ["inbox/*.csv"], "debounce": "300ms" } },
              "tasks": [{ "id": "list", "type": "shell", "command": "echo \"${join(trigger.files, ',')} added=${join(trigger.payload.added, ',')}\" >> ingested.txt" }] }
            """);
        var output = new StringBuilder();
        var port = FreePort();
        using var process = WorkflowProcess.Start(dir, output, output, "serve", "--urls", $"http://127.0.0.1:{port}", "--log-format", "json");
        try
        {
            using var client = await WaitUntilServing(process, output, port);
            // Structured logs: one JSON object per line, with the level, the category and the message.
            List<JsonElement> entries;
            lock (output) entries = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var watching = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("file_change: inbox/*.csv under", StringComparison.Ordinal));
            Assert.Equal(("Information", "workflow.serve"), (watching.GetProperty("LogLevel").GetString(), watching.GetProperty("Category").GetString()));
            File.WriteAllText(Path.Combine(dir, "inbox", "a.csv"), "1");
            File.WriteAllText(Path.Combine(dir, "inbox", "b.csv"), "2");
            File.WriteAllText(Path.Combine(dir, "inbox", "skip.txt"), "3");
            var ingested = Path.Combine(dir, "ingested.txt");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            // The shell creates the file before echo writes its line: wait for the whole line.
            while (!(File.Exists(ingested) && File.ReadAllText(ingested).EndsWith('\n')) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal("inbox/a.csv,inbox/b.csv added=inbox/a.csv,inbox/b.csv", File.ReadAllText(ingested).Trim());
        }
        finally { Stop(process, output); }
        var history = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement;
        var run = Assert.Single(history.EnumerateArray());
        Assert.Equal("file_change", run.GetProperty("trigger").GetString());
        Assert.Equal(["inbox/a.csv", "inbox/b.csv"], run.GetProperty("trigger_data").GetProperty("added").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Under_systemd_it_reports_readiness_and_stopping_on_the_notify_socket()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "hook.workflow.json"), """
            { "name": "hook", "trigger": { "type": "webhook", "config": { "path": "/hooks/hook" } }, "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }
            """);
        // What systemd gives a Type=notify service: a datagram socket in NOTIFY_SOCKET and its own pid in SYSTEMD_EXEC_PID (exec keeps the shell's pid).
        var socketPath = Path.Combine(dir, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var port = FreePort();
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "export SYSTEMD_EXEC_PID=$$; exec \"$0\" \"$@\"", WorkflowProcess.Host, WorkflowProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(a);
        start.Environment["NOTIFY_SOCKET"] = socketPath;
        start.Environment.Remove("WORKFLOW_POSTGRES");
        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        async Task<string> Next()
        {
            var buffer = new byte[4096];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { return Encoding.UTF8.GetString(buffer, 0, await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)); }
            catch (OperationCanceledException) { throw new TimeoutException("nothing on the notify socket:\n" + output); }
        }
        try
        {
            Assert.Contains("READY=1", await Next());
            using var client = await WaitUntilServing(process, output, port); // ready means serving
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            Assert.Contains("STOPPING=1", await Next());
            Assert.True(process.WaitForExit(60_000), output.ToString());
            Assert.Equal(0, process.ExitCode);
            lock (output) Assert.Matches(@"<6>workflow\.serve\[0\] serving 1 workflow", output.ToString()); // the journal's priority prefix
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
