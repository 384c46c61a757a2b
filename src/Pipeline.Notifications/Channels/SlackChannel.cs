using System.Text.Json.Nodes;
using Pipeline.Notifications.Messages;

namespace Pipeline.Notifications.Channels;

/// <summary>
/// Slack's incoming webhooks: <c>webhook_url</c> (default <c>${env.SLACK_WEBHOOK_URL}</c>), optional
/// <c>channel</c>, <c>username</c>, <c>icon_emoji</c>. The message is Block Kit: a header with the
/// verdict, the summary, fields (status, duration, failing task, run), the log excerpt, the command
/// to run next and a button to the run's link; <c>text</c> carries the summary for notifications.
/// </summary>
internal sealed class SlackChannel : INotificationChannel
{
    public const string DefaultUrl = "${env.SLACK_WEBHOOK_URL}";

    public string Type => "slack";

    public string Endpoint(ChannelSettings settings) => HttpPost.Endpoint(settings.Get("webhook_url") ?? "");

    public Task SendAsync(Message message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        var url = settings.Require("webhook_url", "set SLACK_WEBHOOK_URL, or notifications.slack.webhook_url");
        var payload = Payload(message);
        foreach (var name in new[] { "channel", "username", "icon_emoji" })
            if (settings.Get(name) is { } value) payload[name] = value;
        return HttpPost.SendAsync("slack", url, payload.ToJsonString(), [], cancellationToken);
    }

    internal static JsonObject Payload(Message m)
    {
        var f = m.Facts;
        var icon = m.Event.Kind switch { "success" or "resolved" => ":white_check_mark:", "alert" => ":warning:", "test" => ":bell:", _ => ":x:" };
        var verdict = m.Event.Kind switch { "alert" => "alert", "resolved" => "resolved", "test" => "test", _ => f.Status };
        var fields = new JsonArray(Field("Status", f.Status), Field("Duration", f.DurationText));
        if (f.FailedTask is { } task) fields.Add((JsonNode)Field("Failed task", task));
        fields.Add((JsonNode)Field("Run", $"`{f.ExecutionId}`"));
        // JsonNode-typed adds: JsonArray.Add<T> would build a JsonValue by reflection (not in the compiled tool).
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = Plain(Cut($"{m.Workflow} {verdict}", 150)) },
            new JsonObject { ["type"] = "section", ["text"] = Markdown($"{icon} {Escape(m.Text)}") },
            new JsonObject { ["type"] = "section", ["fields"] = fields });
        if (f.Log is { } log)
            blocks.Add((JsonNode)new JsonObject { ["type"] = "section", ["text"] = Markdown("```" + Cut(Escape(log).Replace("```", "'''"), 2900) + "```") });
        blocks.Add((JsonNode)new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Markdown($"Next: `{f.StatusCommand}`")) });
        if (m.Link is { } link && Uri.TryCreate(link, UriKind.Absolute, out _))
            blocks.Add((JsonNode)new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["text"] = Plain("Open the run"), ["url"] = link }),
            });
        return new JsonObject { ["text"] = $"{icon} {Escape(m.Text)}", ["blocks"] = blocks };
    }

    private static JsonObject Field(string name, string value) => Markdown($"*{name}*\n{Escape(value)}");

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = Cut(text, 3000) };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    /// <summary>Slack's mrkdwn gives &amp;, &lt; and &gt; meaning; text from a run must not make links or mentions.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
