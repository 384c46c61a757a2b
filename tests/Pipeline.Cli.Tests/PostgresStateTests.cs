using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>
/// The CLI on the PostgreSQL store (WORKFLOW_POSTGRES): runs, history, status, health and the
/// concurrency policies go through the server, and an unreachable server is one clear line.
/// </summary>
public sealed class PostgresStateTests : IDisposable
{
    private readonly PostgresTestSchema _schema = new();
    private readonly string _dir = WorkflowProcess.TempDir();

    private Dictionary<string, string> Server => new() { ["WORKFLOW_POSTGRES"] = _schema.ConnectionString };

    public void Dispose() => _schema.Dispose();

    private string Workflow(string name, string command, string extra = "")
    {
        var path = Path.Combine(_dir, name + ".workflow.json");
        File.WriteAllText(path, $$"""{ "name": "{{name}}"{{extra}}, "tasks": [{ "id": "step", "type": "shell", "command": "{{command}}" }] }""");
        return path;
    }

    private (int ExitCode, string Stdout, string Stderr) Cli(params string[] args) => WorkflowProcess.RunWithEnvironment(_dir, Server, args);

    [Fact]
    public void Runs_are_recorded_on_the_server_and_history_status_and_health_read_them_back()
    {
        Assert.Equal(0, Cli("run", Workflow("good", "echo fine"), "--quiet").ExitCode);
        Assert.Equal(1, Cli("run", Workflow("bad", "echo broken >&2; exit 5"), "--quiet").ExitCode);

        Assert.False(File.Exists(Path.Combine(_dir, ".workflow", "state.db")), "with WORKFLOW_POSTGRES set, no SQLite file is created");
        Assert.Equal(2L, _schema.Scalar("SELECT count(*) FROM executions"));

        var (code, json, _) = Cli("history", "--format", "json");
        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["bad", "good"], rows.EnumerateArray().Select(r => r.GetProperty("workflow").GetString()));

        var (statusCode, status, _) = Cli("status", rows[0].GetProperty("id").GetString()!);
        Assert.Equal(0, statusCode);
        Assert.Contains("attempt 1 failed: exited with code 5: broken", status);

        var (healthCode, health, _) = Cli("health", "--format", "json");
        Assert.Equal(0, healthCode);
        Assert.Contains("\"bad\"", health);
    }

    [Fact]
    public void Skip_is_enforced_through_the_server()
    {
        var path = Workflow("one", "echo $$ > pid; sleep 1000", """, "concurrency": "skip" """);
        using var first = WorkflowProcess.StartWithEnvironment(_dir, Server, new StringBuilder(), new StringBuilder(), "run", path, "--quiet", "--grace-period", "0");
        try
        {
            WorkflowProcess.WaitForPid(Path.Combine(_dir, "pid"));
            var (code, _, error) = Cli("run", path, "--quiet");
            Assert.Equal(0, code);
            Assert.Contains("(concurrency: skip)", error);
            Assert.Equal("skipped", _schema.Scalar("SELECT status FROM executions ORDER BY started_at DESC LIMIT 1"));
        }
        finally
        {
            first.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void An_unreachable_server_does_not_stop_a_run_but_history_exits_3_with_one_clear_line()
    {
        var port = FreePort();
        var unreachable = new Dictionary<string, string> { ["WORKFLOW_POSTGRES"] = $"Host=127.0.0.1;Port={port};Username=ci;Password=hunter2;Database=pipeline" };

        var (code, _, error) = WorkflowProcess.RunWithEnvironment(_dir, unreachable, "run", Workflow("good", "true"), "--quiet");
        Assert.Equal(0, code);
        Assert.Contains($"warning: cannot reach PostgreSQL 127.0.0.1:{port}/pipeline", error);
        Assert.Contains("this run is not recorded in the history", error);

        var (historyCode, _, historyError) = WorkflowProcess.RunWithEnvironment(_dir, unreachable, "history");
        Assert.Equal(3, historyCode);
        Assert.Equal(
            $"workflow: cannot reach PostgreSQL 127.0.0.1:{port}/pipeline: Connection refused; is the server running and listening on that address? (the connection string comes from WORKFLOW_POSTGRES)",
            historyError.Trim());
        Assert.DoesNotContain("hunter2", error + historyError);
    }

    /// <summary>A port nothing listens on: bound, read, released.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
