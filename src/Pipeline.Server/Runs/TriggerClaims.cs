using System.Collections.Concurrent;
using Pipeline.State;

namespace Pipeline.Server.Runs;

/// <summary>
/// One run per firing: a key (a webhook's delivery id, a schedule's fire time) is claimed by the
/// first execution that asks, and for <see cref="Window"/> afterwards the same key gets that
/// execution back and starts nothing. With a state store the claims are rows in it, so they hold
/// across restarts and between servers sharing a PostgreSQL store; without one they live in memory.
/// Old claims are pruned at most once a minute, so a claim lasts between the window and a minute more.
/// </summary>
public sealed class TriggerClaims(IStateStore? store, TimeProvider clock, TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string ExecutionId, DateTimeOffset At)> _memory = new(StringComparer.Ordinal);
    private readonly Lock _pruneGate = new();
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    public TimeSpan Window => window;

    /// <returns>Null when <paramref name="executionId"/> now holds the key; else the execution that claimed it first.</returns>
    public string? Claim(string key, string executionId)
    {
        var now = clock.GetUtcNow();
        Prune(now);
        if (store is not null) return store.ClaimTrigger(key, executionId, now);
        var entry = _memory.AddOrUpdate(key, (executionId, now), (_, old) => now - old.At > window ? (executionId, now) : old);
        return entry.ExecutionId == executionId ? null : entry.ExecutionId;
    }

    private void Prune(DateTimeOffset now)
    {
        lock (_pruneGate)
        {
            if (now - _prunedAt < PruneEvery && now >= _prunedAt) return;
            _prunedAt = now;
        }
        if (store is not null) store.PruneTriggerClaims(now - window);
        else
            foreach (var (key, entry) in _memory)
                if (now - entry.At > window) _memory.TryRemove(key, out _);
    }
}
