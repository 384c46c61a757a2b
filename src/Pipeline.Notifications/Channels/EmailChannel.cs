using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Pipeline.Notifications.Messages;

namespace Pipeline.Notifications.Channels;

/// <summary>
/// Email over SMTP with MailKit: <c>smtp_host</c>, <c>smtp_port</c> (default 587, or 465 with
/// <c>security: ssl</c>), <c>security</c> (<c>auto</c>: STARTTLS when the server offers it;
/// <c>starttls</c>: required; <c>ssl</c>: TLS from the start; <c>none</c>), <c>username</c> and
/// <c>password</c> (usually <c>${secrets.SMTP_PASSWORD}</c>; no login without a username), <c>from</c>
/// (default pipeline@&lt;this machine&gt;), <c>to</c> (one or more addresses), <c>subject</c> (a template).
/// The body is plain text: the summary, the facts, the log excerpt and the command to run next.
/// </summary>
internal sealed class EmailChannel : INotificationChannel
{
    public string Type => "email";

    public string Endpoint(ChannelSettings settings) => $"{settings.Get("smtp_host") ?? "?"}:{Port(settings).ToString(CultureInfo.InvariantCulture)}";

    public async Task SendAsync(Message message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        var host = settings.Require("smtp_host", "set notifications.email.smtp_host");
        var to = settings.Require("to", "set notifications.email.to to one or more addresses");
        var mail = new MimeMessage();
        try
        {
            mail.From.Add(MailboxAddress.Parse(settings.Get("from") ?? $"pipeline@{Dns.SafeHostName()}"));
            foreach (var address in to.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) mail.To.Add(MailboxAddress.Parse(address));
        }
        catch (ParseException e)
        {
            throw new DeliveryException($"the email channel has an address that cannot be read: {e.Message}", transient: false, e);
        }
        mail.Subject = settings.Get("subject") ?? Subject(message);
        mail.Body = new TextPart("plain") { Text = Body(message) };
        mail.Headers.Add("X-Pipeline-Event", message.Event.Name);
        mail.Headers.Add("X-Pipeline-Delivery", message.DeliveryId);

        var port = Port(settings);
        var where = $"the SMTP server {host}:{port.ToString(CultureInfo.InvariantCulture)}";
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(host, port, Security(settings), cancellationToken).ConfigureAwait(false);
            if (settings.Get("username") is { } user)
                await client.AuthenticateAsync(user, settings.Get("password") ?? "", cancellationToken).ConfigureAwait(false);
            await client.SendAsync(mail, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new DeliveryException($"cannot reach {where}: {(e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message)}", transient: true, e);
        }
        catch (AuthenticationException e)
        {
            throw new DeliveryException($"{where} refused the login of {settings.Get("username")}: {e.Message}", transient: false, e);
        }
        catch (SmtpCommandException e)
        {
            // 4xx is "try again later"; 5xx is final.
            throw new DeliveryException($"{where} refused the message: {(int)e.StatusCode} {e.Message}", transient: (int)e.StatusCode < 500, e);
        }
        catch (Exception e) when (e is SmtpProtocolException or SslHandshakeException or IOException or ServiceNotConnectedException)
        {
            throw new DeliveryException($"{where} failed: {e.Message}", transient: true, e);
        }
        catch (NotSupportedException e)
        {
            // MailKit says so when STARTTLS is required but not offered, or a login is asked of a server without AUTH.
            var hint = settings.Get("security") == "starttls" ? "; set security to auto to send without TLS when the server offers none" : settings.Get("username") is not null ? "; remove username and password for a server without logins" : "";
            throw new DeliveryException($"{where} cannot do what the email channel asks: {e.Message}{hint}", transient: false, e);
        }
    }

    private static int Port(ChannelSettings settings) =>
        int.TryParse(settings.Get("smtp_port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : settings.Get("security") == "ssl" ? 465 : 587;

    private static SecureSocketOptions Security(ChannelSettings settings) => settings.Get("security") switch
    {
        "ssl" => SecureSocketOptions.SslOnConnect,
        "starttls" => SecureSocketOptions.StartTls,
        "none" => SecureSocketOptions.None,
        null or "auto" => SecureSocketOptions.StartTlsWhenAvailable,
        var other => throw new DeliveryException($"the email channel's security \"{other}\" is not one of auto, starttls, ssl, none", transient: false),
    };

    internal static string Subject(Message m) => $"[pipeline] {(m.Text.Length > 180 ? m.Text[..179] + "…" : m.Text)}".ReplaceLineEndings(" ");

    internal static string Body(Message m)
    {
        var f = m.Facts;
        var b = new StringBuilder();
        b.AppendLine(m.Text).AppendLine();
        b.AppendLine($"Workflow:    {m.Workflow}{(m.Version is { } v ? " " + v : "")}");
        b.AppendLine($"Status:      {f.Status}");
        b.AppendLine($"Duration:    {f.DurationText}");
        if (f.FailedTask is { } task) b.AppendLine($"Failed task: {task}");
        if (f.Alert is { } alert) b.AppendLine($"Alert:       {alert}");
        b.AppendLine($"Run:         {f.ExecutionId} (trigger: {f.Trigger})");
        b.AppendLine($"Started:     {f.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        if (f.Log is { } log)
        {
            b.AppendLine().AppendLine("Last lines of its output:");
            foreach (var line in log.Split('\n')) b.AppendLine("  | " + line);
        }
        b.AppendLine().AppendLine($"Next: {f.StatusCommand}");
        if (m.Link is { } link) b.AppendLine(link);
        return b.ToString();
    }
}

internal static class Dns
{
    public static string SafeHostName()
    {
        try { return System.Net.Dns.GetHostName() is { Length: > 0 } h && !h.Contains(' ') ? h : "localhost"; }
        catch (SocketException) { return "localhost"; }
    }
}
