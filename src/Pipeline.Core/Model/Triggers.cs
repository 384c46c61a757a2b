using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

public enum TriggerType { Manual, Schedule, Webhook, FileChange }

/// <summary>What starts a workflow. Written as <c>"trigger": { "type": ..., "config": { ... } }</c> or a <c>"triggers"</c> list.</summary>
public abstract record TriggerDefinition(TriggerType Type, SourceSpan Span);

public sealed record ManualTrigger(SourceSpan Span) : TriggerDefinition(TriggerType.Manual, Span);

/// <summary>What a schedule does about the firings it missed while nothing ran it (the server was down, the clock jumped).</summary>
public enum MisfirePolicy
{
    /// <summary>Drop them; the next firing is the next fire time after now.</summary>
    Skip,

    /// <summary>Run once now for all of them, then go on with the schedule.</summary>
    RunOnce,
}

/// <summary>
/// A cron schedule: 5 fields (minute precision) or 6 (with seconds first), with an optional IANA time
/// zone, what to do about missed firings, and an optional random delay of up to <see cref="JitterMs"/>
/// before each run (so many servers with the same schedule do not start at the same instant).
/// </summary>
public sealed record ScheduleTrigger(LocatedString Schedule, LocatedString? Timezone, SourceSpan Span) : TriggerDefinition(TriggerType.Schedule, Span)
{
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.Skip;
    public int JitterMs { get; init; }
}

/// <summary>An HTTP endpoint of <c>workflow serve</c>: a path (<c>/hooks/deploy</c>), optional HMAC secret name and method.</summary>
public sealed record WebhookTrigger(LocatedString? Path, LocatedString? Url, LocatedString? Secret, LocatedString? Method, SourceSpan Span) : TriggerDefinition(TriggerType.Webhook, Span);

/// <summary>
/// File system changes under glob patterns (relative to the workflow file's folder), less the
/// <see cref="Ignore"/> globs, batched: the changes inside one debounce window start one run.
/// <see cref="PollMs"/> scans the files on an interval instead of waiting for events, for file systems
/// that send none (network shares, some containers).
/// </summary>
public sealed record FileChangeTrigger(IReadOnlyList<LocatedString> Paths, int DebounceMs, IReadOnlyList<LocatedString> Events, SourceSpan Span) : TriggerDefinition(TriggerType.FileChange, Span)
{
    public const int DefaultDebounceMs = 500;

    public IReadOnlyList<LocatedString> Ignore { get; init; } = System.Array.Empty<LocatedString>();

    /// <summary>Scan every this many milliseconds instead of listening for events; null listens.</summary>
    public int? PollMs { get; init; }
}
