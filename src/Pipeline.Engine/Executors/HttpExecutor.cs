using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Executors;

/// <summary>
/// http: one request with HttpClient. Succeeds when the status is in <c>expect_status</c> (any 2xx by
/// default). Outputs: <c>status</c>, <c>body</c>, <c>header.&lt;name&gt;</c> for each response header and,
/// when the body is a JSON object, one output per top-level property (strings as they are, other
/// values as JSON). The body is also the task's stdout, so it lands in the log.
/// </summary>
public sealed class HttpExecutor : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (HttpTask)invocation.Task;
        var url = invocation.Render(task.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            return ExecutionOutcome.Fail($"'{url}' is not an absolute http or https URL");

        using var request = new HttpRequestMessage(new HttpMethod(task.Method), uri);
        if (task.Body is not null)
        {
            var body = invocation.Render(task.Body);
            request.Content = new StringContent(body, Encoding.UTF8, task.BodyIsJson ? "application/json" : "text/plain");
        }
        foreach (var h in task.Headers)
        {
            var value = invocation.Render(h.Value);
            if (!request.Headers.TryAddWithoutValidation(h.Name.Value, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(h.Name.Value);
                request.Content.Headers.TryAddWithoutValidation(h.Name.Value, value);
            }
        }
        if (task.Auth is { } auth)
        {
            request.Headers.Authorization = auth.Kind == HttpAuthKind.Bearer
                ? new AuthenticationHeaderValue("Bearer", auth.Token is null ? "" : invocation.Render(auth.Token))
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                    $"{(auth.Username is null ? "" : invocation.Render(auth.Username))}:{(auth.Password is null ? "" : invocation.Render(auth.Password))}")));
        }

        var client = task.FollowRedirects ? invocation.Http.Following : invocation.Http.NotFollowing;
        invocation.Output(OutputStream.Stderr, $"{task.Method} {url}");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return ExecutionOutcome.Fail($"{task.Method} {url} failed: {e.Message}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            invocation.Output(OutputStream.Stderr, $"HTTP {status} {response.ReasonPhrase}");
            foreach (var line in text.Split('\n')) invocation.Output(OutputStream.Stdout, line.TrimEnd('\r'));

            var outputs = new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = status.ToString(), ["body"] = text };
            foreach (var h in response.Headers.Concat(response.Content.Headers))
                outputs["header." + h.Key.ToLowerInvariant()] = string.Join(", ", h.Value);
            AddJsonProperties(text, outputs);

            var ok = task.ExpectStatus.Count == 0 ? status is >= 200 and < 300 : task.ExpectStatus.Contains(status);
            return new ExecutionOutcome
            {
                Succeeded = ok,
                ExitCode = null,
                Error = ok ? null : $"{task.Method} {url} returned {status} {response.ReasonPhrase}" +
                    (task.ExpectStatus.Count == 0 ? " (expected 2xx)" : $" (expected {string.Join(", ", task.ExpectStatus)})"),
                Outputs = outputs,
                Stdout = text,
            };
        }
    }

    private static void AddJsonProperties(string text, Dictionary<string, string> outputs)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{')) return;
        try
        {
            using var doc = JsonDocument.Parse(text);
            foreach (var p in doc.RootElement.EnumerateObject())
                outputs.TryAdd(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (JsonException) { /* not JSON after all: body and status are still there */ }
    }
}
