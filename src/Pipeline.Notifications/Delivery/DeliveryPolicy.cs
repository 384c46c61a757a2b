using System.Collections.Concurrent;
using Pipeline.Notifications.Channels;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Notifications.Delivery;

/// <summary>
/// How hard a delivery tries: <see cref="Attempts"/> attempts with exponential backoff from
/// <see cref="FirstRetryDelay"/> plus jitter, each attempt cut off after <see cref="AttemptTimeout"/>,
/// and a circuit breaker per channel endpoint shared by every run in the process (under
/// <c>workflow serve</c>, a dead endpoint stops being called for <see cref="BreakDuration"/> after
/// <see cref="BreakAfter"/> failures in a row, instead of costing every run its retries).
/// </summary>
public sealed record DeliveryPolicy
{
    public int Attempts { get; init; } = 3;
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>All deliveries of one run together; the run's exit waits no longer than this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int BreakAfter { get; init; } = 5;
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<string, ResiliencePipeline> Breakers = new(StringComparer.Ordinal);

    internal static readonly PredicateBuilder<object> Handled = new PredicateBuilder()
        .Handle<DeliveryException>(e => e.Transient)
        .Handle<TimeoutRejectedException>();

    /// <summary>The pipeline for one delivery to <paramref name="endpoint"/>: retry, the endpoint's breaker, a timeout per attempt.</summary>
    internal ResiliencePipeline For(string endpoint, Action<int, TimeSpan>? onRetry = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, Attempts - 1),
                Delay = FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = Handled,
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddPipeline(Breaker(endpoint))
            .AddTimeout(AttemptTimeout)
            .Build();

    private ResiliencePipeline Breaker(string endpoint) => Breakers.GetOrAdd(endpoint, _ => new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = BreakAfter,
            SamplingDuration = TimeSpan.FromMinutes(5),
            BreakDuration = BreakDuration,
            ShouldHandle = Handled,
        })
        .Build());

    /// <summary>Forgets every breaker (tests, so one test's dead endpoint does not break another's).</summary>
    internal static void ResetBreakers() => Breakers.Clear();
}
