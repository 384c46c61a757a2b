using System.Collections.Concurrent;

namespace Pipeline.Server.Webhooks;

/// <summary>
/// Replay protection: a delivery id (<c>X-GitHub-Delivery</c>, <c>X-Request-Id</c>) seen within the
/// window maps to the execution it started, so a retried delivery starts nothing and gets the same
/// answer. Time comes from a <see cref="TimeProvider"/> so tests move the clock.
/// </summary>
public sealed class DeliveryLog(TimeProvider clock, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, (string ExecutionId, DateTimeOffset At)> _seen = new(StringComparer.Ordinal);

    public static readonly string[] Headers = ["X-GitHub-Delivery", "X-Request-Id"];

    /// <summary>The execution an earlier delivery with this id started, within the window.</summary>
    public string? Find(string deliveryId)
    {
        if (!_seen.TryGetValue(deliveryId, out var entry)) return null;
        if (clock.GetUtcNow() - entry.At <= window) return entry.ExecutionId;
        _seen.TryRemove(deliveryId, out _);
        return null;
    }

    public void Add(string deliveryId, string executionId)
    {
        var now = clock.GetUtcNow();
        _seen[deliveryId] = (executionId, now);
        if (_seen.Count > 10_000) // keep it bounded: forget what the window no longer covers
            foreach (var (id, e) in _seen)
                if (now - e.At > window) _seen.TryRemove(id, out _);
    }
}
