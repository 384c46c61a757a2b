using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

/// <summary>
/// Where and when to report a run: the seed's <c>notifications.channels / on_completion / on_failure</c>,
/// plus <c>on_success</c>. A channel's settings are written in the channel's object in
/// <c>channels</c>, or beside <c>channels</c> under the channel's name (<c>"slack": { "webhook_url": … }</c>),
/// or in <c>.workflow-config.json</c> for every workflow; the reader merges the first two.
/// </summary>
public sealed record NotificationSettings
{
    public IReadOnlyList<NotificationChannel> Channels { get; init; } = Lists.Empty<NotificationChannel>();
    public bool OnCompletion { get; init; }
    public bool OnFailure { get; init; }
    public bool OnSuccess { get; init; }

    /// <summary>Seconds all deliveries of a run may take together (retries included); the run's exit waits no longer.</summary>
    public Located<int>? Timeout { get; init; }

    /// <summary>Attempts per delivery (1 = no retry); null is the default (3).</summary>
    public Located<int>? Attempts { get; init; }

    /// <summary>The first retry's delay in milliseconds (doubled each time, with jitter); null is the default (1 s).</summary>
    public Located<int>? RetryDelay { get; init; }

    /// <summary>A link to the run (for example a CI job's page), a template; null uses GitHub Actions' run page when there is one.</summary>
    public LocatedString? Link { get; init; }

    public AlertSettings? Alerts { get; init; }
    public SourceSpan Span { get; init; }

    /// <summary>Whether a run that ended so (<paramref name="succeeded"/>) is reported.</summary>
    public bool Wants(bool succeeded) => OnCompletion || (succeeded ? OnSuccess : OnFailure);
}

/// <summary>
/// A channel: <c>"email"</c>, <c>"slack"</c>, <c>"webhook"</c> or <c>"console"</c>, with its settings.
/// Nested settings are flattened to dotted names (<c>headers.X-Token</c>, <c>templates.on_failure</c>)
/// and lists to comma-separated text (<c>to</c>).
/// </summary>
public sealed record NotificationChannel(LocatedString Type, IReadOnlyList<NamedValue> Settings, SourceSpan Span)
{
    public static readonly IReadOnlyList<string> KnownTypes = new[] { "email", "slack", "webhook", "console" };

    /// <summary>The settings each channel type reads (a name ending in ".*" takes any key after the dot).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> KnownSettings = new Dictionary<string, IReadOnlyList<string>>
    {
        ["slack"] = new[] { "webhook_url", "channel", "username", "icon_emoji", "templates.*" },
        ["webhook"] = new[] { "url", "secret", "headers.*", "templates.*" },
        ["email"] = new[] { "smtp_host", "smtp_port", "security", "username", "password", "from", "to", "subject", "templates.*" },
        ["console"] = new[] { "templates.*" },
    };

    /// <summary>The events a template may be written for.</summary>
    public static readonly IReadOnlyList<string> TemplateEvents = new[] { "on_success", "on_failure", "on_completion", "on_alert", "on_resolved", "on_test" };

    public LocatedString? Get(string name)
    {
        foreach (var s in Settings)
            if (s.Name.Value == name) return s.Value;
        return null;
    }
}

/// <summary>
/// <c>notifications.alerts</c> (seed §9.2): rules evaluated after every run from the recorded history.
/// Each rule fires at most once per <see cref="ThrottleSeconds"/> for a workflow, and sends one
/// "resolved" message when it clears. A rule set to <c>false</c> is off; null values take the defaults.
/// </summary>
public sealed record AlertSettings
{
    /// <summary>Channels for alerts; empty means the workflow's notification channels.</summary>
    public IReadOnlyList<LocatedString> Channels { get; init; } = Lists.Empty<LocatedString>();

    /// <summary>Alert on every failed run (off by default: <c>on_failure</c> reports those).</summary>
    public bool Failed { get; init; }

    public bool FailureRate { get; init; } = true;
    public double FailureRateThreshold { get; init; } = 0.5;
    public int FailureRateWindowSeconds { get; init; } = 24 * 3600;
    public int FailureRateMinRuns { get; init; } = 4;

    public bool Duration { get; init; } = true;
    public double DurationFactor { get; init; } = 2.0;
    public int DurationMinRuns { get; init; } = 5;

    public bool TaskFailures { get; init; } = true;
    public int TaskFailuresInARow { get; init; } = 3;

    public int ThrottleSeconds { get; init; } = 3600;
    public SourceSpan Span { get; init; }
}
