using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>
/// Kestrel on 127.0.0.1 standing in for Slack's incoming webhooks and for a user's webhook: records
/// every request, and answers each path as told (a status per attempt, or a delay).
/// </summary>
public sealed class HttpStandIn : IAsyncDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, int>> _answers = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new();

    public HttpStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "/";
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue(new Received(path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            var n = _counts.AddOrUpdate(path, 1, (_, c) => c + 1);
            if (_delays.TryGetValue(path, out var delay)) await Task.Delay(delay, context.RequestAborted);
            context.Response.StatusCode = _answers.TryGetValue(path, out var answer) ? answer(n) : 200;
            await context.Response.WriteAsync(context.Response.StatusCode == 200 ? "ok" : "stand-in says no");
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First();
    }

    public string Url { get; }

    /// <summary>Answers the n-th request to <paramref name="path"/> with <paramref name="status"/>(n).</summary>
    public void Answer(string path, Func<int, int> status) => _answers[path] = status;

    public void Delay(string path, TimeSpan delay) => _delays[path] = delay;

    public IReadOnlyList<Received> To(string path) => _received.Where(r => r.Path == path).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
