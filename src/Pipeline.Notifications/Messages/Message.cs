namespace Pipeline.Notifications.Messages;

/// <summary>
/// One message, rendered and masked, ready for a channel: the headline (a template's text, or the
/// default for the event) and the facts a channel lays out its own way (Slack blocks, an email's
/// body, a webhook's JSON).
/// </summary>
public sealed record Message
{
    public required NotificationEvent Event { get; init; }
    public required string Workflow { get; init; }
    public string? Version { get; init; }
    public required RunFacts Facts { get; init; }

    /// <summary>The one-line summary (the user's template for the event and channel when there is one).</summary>
    public required string Text { get; init; }

    public string? Link { get; init; }

    /// <summary>A delivery id, the same on every attempt, so receivers can drop repeats.</summary>
    public string DeliveryId { get; init; } = Guid.NewGuid().ToString("N");
}
