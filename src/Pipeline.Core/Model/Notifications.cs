using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

/// <summary>Where and when to report a run: the seed's <c>notifications.channels / on_completion / on_failure</c>.</summary>
public sealed record NotificationSettings(
    IReadOnlyList<NotificationChannel> Channels,
    bool OnCompletion,
    bool OnFailure,
    bool OnSuccess,
    SourceSpan Span);

/// <summary>
/// A channel: <c>"email"</c>, <c>"slack"</c>, <c>"webhook"</c> or <c>"console"</c>, written as a bare name
/// (settings then come from the configuration file) or an object with its settings.
/// </summary>
public sealed record NotificationChannel(LocatedString Type, IReadOnlyList<NamedValue> Settings, SourceSpan Span)
{
    public static readonly IReadOnlyList<string> KnownTypes = new[] { "email", "slack", "webhook", "console" };
}
