using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Notifications.Channels;

/// <summary>
/// A JSON POST for the Slack and webhook channels, with failures turned into <see cref="DeliveryException"/>:
/// 5xx, 408 and 429 answers and network errors are transient (retried), other answers are not.
/// Messages name the endpoint by host and port only: a Slack webhook's path is its secret.
/// </summary>
internal static class HttpPost
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AllowAutoRedirect = false,
    }) { Timeout = Timeout.InfiniteTimeSpan };

    public static string Endpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "an invalid URL";

    public static async Task SendAsync(string channel, string url, string json, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new DeliveryException($"the {channel} URL is not an http(s) URL", transient: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.ParseAdd("Pipeline-Notifier/1.0");
        foreach (var (name, value) in headers)
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
        HttpResponseMessage response;
        try
        {
            response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e.InnerException is SocketException s ? s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message : e.Message;
            throw new DeliveryException($"cannot reach the {channel} endpoint {Endpoint(url)}: {reason}", transient: true, e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var transient = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            body = body.ReplaceLineEndings(" ").Trim();
            throw new DeliveryException($"the {channel} endpoint {Endpoint(url)} answered {code} {response.ReasonPhrase}{(body.Length > 0 ? ": " + (body.Length > 200 ? body[..200] + "…" : body) : "")}", transient);
        }
    }
}
