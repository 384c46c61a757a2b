using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Pipeline.Engine.Running;
using Pipeline.Server.Runs;
using Pipeline.Server.Webhooks;

namespace Pipeline.Server.Tests;

/// <summary>The webhook endpoints on a real Kestrel server on 127.0.0.1, driven with real HTTP requests.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private const string Secret = "s3cret-for-tests";
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private readonly Clock _clock = new();
    private readonly Starter _starter;

    public WebhookEndpointTests() => _starter = new Starter(new TriggerClaims(null, _clock, TriggerClaims.DefaultWindow));

    /// <summary>Records what it is asked to start; claims keys as the server's starter does (in memory: no store here).</summary>
    private sealed class Starter(TriggerClaims claims) : IRunStarter
    {
        public List<RunRequest> Started { get; } = [];

        public Task<StartedRun> StartAsync(RunRequest request, CancellationToken cancellationToken)
        {
            lock (Started)
            {
                var id = $"exec-{Started.Count + 1}";
                if (request.ClaimKey is { } key && claims.Claim(key, id) is { } earlier) return Task.FromResult(new StartedRun(earlier, true));
                Started.Add(request);
                return Task.FromResult(new StartedRun(id));
            }
        }
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var routes = new Dictionary<string, WebhookRoute>
        {
            ["deploy"] = new("deploy", "deploy", SecretVariable: "HOOK_SECRET"),
            ["ci/build"] = new("ci/build", "build", TokenVariable: "HOOK_TOKEN"),
            ["unset"] = new("unset", "other", SecretVariable: "NOT_SET_ANYWHERE"),
        };
        var environment = new Dictionary<string, string> { ["HOOK_SECRET"] = Secret, ["HOOK_TOKEN"] = "t0ken-value" };
        _app.MapWebhooks(path => routes.GetValueOrDefault(path), _starter, bodyLimit: 1024,
            environment: name => environment.GetValueOrDefault(name));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> Post(string path, string body, string? signature = null, Dictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add(WebhookSignature.Header, signature);
        foreach (var (k, v) in headers ?? []) request.Headers.TryAddWithoutValidation(k, v);
        return _client.SendAsync(request);
    }

    private static string Sign(string body) => WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task A_signed_delivery_starts_the_run_with_its_payload_and_headers_and_answers_202()
    {
        const string body = """{ "ref": "refs/heads/main", "repository": { "name": "pipeline" } }""";
        var response = await Post("/hooks/deploy", body, Sign(body), new() { ["X-GitHub-Event"] = "push" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("exec-1", answer.GetProperty("execution_id").GetString());
        Assert.Equal("/executions/exec-1", answer.GetProperty("status_url").GetString());
        var request = Assert.Single(_starter.Started);
        var trigger = request.Trigger;
        Assert.Equal("deploy", request.Workflow);
        Assert.Equal("webhook", request.TriggerType);
        using var recorded = JsonDocument.Parse(request.TriggerData!);
        Assert.Equal("refs/heads/main", recorded.RootElement.GetProperty("payload").GetProperty("ref").GetString());
        Assert.Equal("/hooks/deploy", recorded.RootElement.GetProperty("path").GetString());
        Assert.Equal("refs/heads/main", trigger.Payload!.GetProperty("ref").AsString);
        Assert.Equal("push", trigger.Headers["x-github-event"]);
        Assert.DoesNotContain(trigger.Headers.Keys, k => k.Equals(WebhookSignature.Header, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("/hooks/deploy", trigger.Path);
    }

    [Theory]
    [InlineData(null, "no X-Hub-Signature-256")]
    [InlineData("sha256=0000", "not sha256=")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "does not match")]
    public async Task A_missing_or_wrong_signature_is_401_and_nothing_runs(string? signature, string message)
    {
        var response = await Post("/hooks/deploy", """{ "ref": "main" }""", signature);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Empty(_starter.Started);
    }

    [Fact]
    public async Task Unknown_paths_oversized_bodies_non_JSON_and_an_unset_secret_are_refused_with_their_codes()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Post("/hooks/nope", "{}", Sign("{}"))).StatusCode);
        var big = "{ \"x\": \"" + new string('a', 2000) + "\" }";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Post("/hooks/deploy", big, Sign(big))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("/hooks/deploy", "Hello, World!", Sign("Hello, World!"))).StatusCode);
        var unset = await Post("/hooks/unset", "{}", Sign("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unset.StatusCode);
        Assert.Contains("NOT_SET_ANYWHERE", await unset.Content.ReadAsStringAsync());
        Assert.Empty(_starter.Started);
    }

    [Fact]
    public async Task A_bearer_token_lets_a_delivery_in_and_a_wrong_one_does_not()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/hooks/ci/build", "{}", headers: new() { ["Authorization"] = "Bearer wrong" })).StatusCode);
        var ok = await Post("/hooks/ci/build", "{}", headers: new() { ["Authorization"] = "Bearer t0ken-value" });
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.DoesNotContain("Authorization", Assert.Single(_starter.Started).Trigger.Headers.Keys, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_repeated_delivery_gets_the_first_execution_and_starts_nothing_within_24_hours()
    {
        const string body = """{ "ref": "main" }""";
        var headers = new Dictionary<string, string> { ["X-GitHub-Delivery"] = "72d3162e-cc78-11e3-81ab-4c9367dc0958" };
        var first = await (await Post("/hooks/deploy", body, Sign(body), headers)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await Post("/hooks/deploy", body, Sign(body), headers);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("execution_id").GetString(), second.GetProperty("execution_id").GetString());
        Assert.True(second.GetProperty("replayed").GetBoolean());
        Assert.Single(_starter.Started);
        Assert.Equal("webhook:deploy:72d3162e-cc78-11e3-81ab-4c9367dc0958", _starter.Started[0].ClaimKey);

        _clock.Now = _clock.Now.AddHours(25);
        var later = await (await Post("/hooks/deploy", body, Sign(body), headers)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(first.GetProperty("execution_id").GetString(), later.GetProperty("execution_id").GetString());
        Assert.Equal(2, _starter.Started.Count);
    }
}
