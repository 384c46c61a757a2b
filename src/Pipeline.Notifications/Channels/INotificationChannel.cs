using Pipeline.Notifications.Messages;

namespace Pipeline.Notifications.Channels;

/// <summary>One kind of channel: sends one attempt of a message, or throws <see cref="DeliveryException"/>.</summary>
internal interface INotificationChannel
{
    string Type { get; }

    /// <summary>Where messages go, for messages and the circuit breaker's key: a host and port, never a secret (a Slack URL's path is one).</summary>
    string Endpoint(ChannelSettings settings);

    Task SendAsync(Message message, ChannelSettings settings, CancellationToken cancellationToken);
}

/// <summary>A delivery attempt that failed; <see cref="Transient"/> ones are retried (5xx, 429, timeouts, refused connections).</summary>
public sealed class DeliveryException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}

/// <summary>A channel's settings, rendered: the workflow's, then the configuration file's for what the workflow leaves out.</summary>
internal sealed class ChannelSettings(string type, IReadOnlyDictionary<string, string> values)
{
    public string Type { get; } = type;
    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Get(string name) => Values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <exception cref="DeliveryException">The setting is missing (not retried).</exception>
    public string Require(string name, string hint) =>
        Get(name) ?? throw new DeliveryException($"the {Type} channel has no {name}: {hint}", transient: false);

    /// <summary>Settings under a prefix (headers.X-A → X-A).</summary>
    public IEnumerable<KeyValuePair<string, string>> Under(string prefix) =>
        Values.Where(v => v.Key.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(v => new KeyValuePair<string, string>(v.Key[(prefix.Length + 1)..], v.Value));
}
