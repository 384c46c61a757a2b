using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Notifications.Messages;

namespace Pipeline.Notifications.Channels;

/// <summary>
/// A JSON POST to <c>url</c> with the run's facts. With a <c>secret</c>, the body is signed:
/// <c>X-Pipeline-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> (GitHub's scheme, so
/// receivers can reuse their check). <c>X-Pipeline-Event</c> names the event and
/// <c>X-Pipeline-Delivery</c> stays the same on every attempt, so a receiver can drop repeats.
/// <c>headers.*</c> adds headers.
/// </summary>
internal sealed class WebhookChannel : INotificationChannel
{
    public const string SignatureHeader = "X-Pipeline-Signature-256";

    public string Type => "webhook";

    public string Endpoint(ChannelSettings settings) => HttpPost.Endpoint(settings.Get("url") ?? "");

    public Task SendAsync(Message message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        var url = settings.Require("url", "set notifications.webhook.url");
        var body = Payload(message).ToJsonString();
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Pipeline-Event", message.Event.Name),
            new("X-Pipeline-Delivery", message.DeliveryId),
        };
        if (settings.Get("secret") is { } secret) headers.Add(new(SignatureHeader, Sign(secret, body)));
        headers.AddRange(settings.Under("headers"));
        return HttpPost.SendAsync("webhook", url, body, headers, cancellationToken);
    }

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))).ToLowerInvariant();

    internal static JsonObject Payload(Message m)
    {
        var f = m.Facts;
        return new JsonObject
        {
            ["event"] = m.Event.Name,
            ["kind"] = m.Event.Kind,
            ["workflow"] = m.Workflow,
            ["version"] = m.Version,
            ["execution_id"] = f.ExecutionId,
            ["status"] = f.Status,
            ["text"] = m.Text,
            ["duration"] = f.DurationText,
            ["duration_seconds"] = Math.Round(f.Duration.TotalSeconds, 3),
            ["error"] = f.Error,
            ["failed_task"] = f.FailedTask,
            ["failed_tasks"] = new JsonArray(f.FailedTasks.Select(t => (JsonNode)t).ToArray()),
            ["log"] = f.Log,
            ["alert"] = f.Alert,
            ["trigger"] = f.Trigger,
            ["started_at"] = f.StartedAt.ToUniversalTime().ToString("O"),
            ["finished_at"] = f.FinishedAt.ToUniversalTime().ToString("O"),
            ["status_command"] = f.StatusCommand,
            ["link"] = m.Link,
        };
    }
}
