using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>http tasks against a real Kestrel server on 127.0.0.1.</summary>
public sealed class HttpTaskTests : IAsyncLifetime, IDisposable
{
    private readonly EngineHarness _h = new();
    private WebApplication _app = null!;
    private string _base = "";
    private int _flakyCalls;
    private readonly List<string> _seenAuth = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/version", () => Results.Json(new { version = "2.0.1", build = 42, tags = new[] { "a" } }));
        _app.MapPost("/echo", async (HttpRequest r) =>
        {
            lock (_seenAuth) _seenAuth.Add(r.Headers.Authorization.ToString());
            var body = await new StreamReader(r.Body).ReadToEndAsync();
            return Results.Text($"{r.ContentType}|{r.Headers["X-Trace"]}|{body}");
        });
        _app.MapGet("/flaky", () => Interlocked.Increment(ref _flakyCalls) < 3 ? Results.StatusCode(503) : Results.Ok("up"));
        _app.MapGet("/moved", () => Results.Redirect("/version"));
        _app.MapGet("/slow", async (CancellationToken ct) => { await Task.Delay(30_000, ct); return "late"; });
        await _app.StartAsync();
        _base = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Json_body_becomes_outputs_for_later_tasks()
    {
        var run = await _h.RunTasks($$"""
            [
              { "id": "get", "type": "http", "url": "{{_base}}/version" },
              { "id": "use", "type": "shell", "depends_on": ["get"], "command": "echo ${tasks.get.outputs.version} ${tasks.get.outputs.build} ${tasks.get.outputs.status}" }
            ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["2.0.1 42 200"], _h.Lines("use"));
        Assert.Equal("[\"a\"]", run.Task("get").Outputs["tags"]);
    }

    [Fact]
    public async Task Post_sends_json_body_headers_and_bearer_auth()
    {
        var run = await _h.RunTasks($$"""
            [ { "id": "post", "type": "http", "method": "POST", "url": "{{_base}}/echo",
                "headers": { "X-Trace": "${workflow.name}" }, "body": { "deploy": true },
                "auth": { "type": "bearer", "token": "${secrets.TOKEN}" } } ]
            """, extraFields: "\"secrets\": [\"TOKEN\"]",
            options: new RunOptions { Secrets = new Dictionary<string, string> { ["TOKEN"] = "abc123" } });
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("application/json; charset=utf-8|test|{\"deploy\":true}", run.Task("post").Outputs["body"]);
        Assert.Equal(["Bearer abc123"], _seenAuth);
    }

    [Fact]
    public async Task Unexpected_status_fails_and_retries_until_it_recovers()
    {
        var run = await _h.RunTasks($$"""
            [ { "id": "wait-up", "type": "http", "url": "{{_base}}/flaky", "retry": { "attempts": 3, "delay": 10 } } ]
            """);
        var t = run.Task("wait-up");
        Assert.Equal(TaskState.Succeeded, t.State);
        Assert.Equal(3, t.Attempts.Count);
        Assert.Contains("returned 503", t.Attempts[0].Error);
    }

    [Fact]
    public async Task Redirects_are_followed_unless_disabled_and_expect_status_is_honoured()
    {
        var run = await _h.RunTasks($$"""
            [
              { "id": "follow", "type": "http", "url": "{{_base}}/moved" },
              { "id": "nofollow", "type": "http", "url": "{{_base}}/moved", "follow_redirects": false, "expect_status": [302] }
            ]
            """);
        Assert.Equal("200", run.Task("follow").Outputs["status"]);
        Assert.Equal(TaskState.Succeeded, run.Task("nofollow").State);
        Assert.Equal("302", run.Task("nofollow").Outputs["status"]);
    }

    [Fact]
    public async Task Request_timeout_and_unreachable_server_fail_clearly()
    {
        var run = await _h.RunTasks($$"""
            [
              { "id": "slow", "type": "http", "url": "{{_base}}/slow", "timeout": 1 },
              { "id": "closed", "type": "http", "url": "http://127.0.0.1:1/nothing" }
            ]
            """, options: new RunOptions { MaxParallel = 2 });
        Assert.Equal(TaskState.TimedOut, run.Task("slow").State);
        Assert.Equal(TaskState.Failed, run.Task("closed").State);
        Assert.Contains("GET http://127.0.0.1:1/nothing failed", run.Task("closed").Error);
    }
}
