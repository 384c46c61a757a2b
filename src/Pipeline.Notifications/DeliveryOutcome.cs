namespace Pipeline.Notifications;

/// <summary>How one delivery (a channel and an event) ended.</summary>
/// <param name="Status">delivered, failed or skipped.</param>
public sealed record DeliveryOutcome(string Channel, string Event, string Status, int Attempts, TimeSpan Took, string? Error)
{
    public bool Delivered => Status == "delivered";
}
