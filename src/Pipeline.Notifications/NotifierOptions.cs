using Pipeline.Notifications.Delivery;

namespace Pipeline.Notifications;

/// <summary>What a host gives the notifier.</summary>
public sealed record NotifierOptions
{
    /// <summary>
    /// Channel settings for every workflow, by channel type (from <c>.workflow-config.json</c>'s
    /// <c>notifications</c>), with the same flattened names as in a workflow (<c>headers.X-A</c>);
    /// a workflow's own settings win.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Defaults { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Where the console channel writes.</summary>
    public TextWriter Console { get; init; } = System.Console.Error;

    /// <summary>The clock alerts are judged and throttled by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Retries, timeouts and breakers; a workflow's attempts, retry_delay and timeout override these.</summary>
    public DeliveryPolicy Policy { get; init; } = new();
}
