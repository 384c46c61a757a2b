using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

public enum TriggerType { Manual, Schedule, Webhook, FileChange }

/// <summary>What starts a workflow. Written as <c>"trigger": { "type": ..., "config": { ... } }</c> or a <c>"triggers"</c> list.</summary>
public abstract record TriggerDefinition(TriggerType Type, SourceSpan Span);

public sealed record ManualTrigger(SourceSpan Span) : TriggerDefinition(TriggerType.Manual, Span);

/// <summary>A cron schedule: 5 fields (minute precision) or 6 (with seconds first), with an optional IANA time zone.</summary>
public sealed record ScheduleTrigger(LocatedString Schedule, LocatedString? Timezone, SourceSpan Span) : TriggerDefinition(TriggerType.Schedule, Span);

/// <summary>An HTTP endpoint of <c>workflow serve</c>: a path (<c>/hooks/deploy</c>), optional HMAC secret name and method.</summary>
public sealed record WebhookTrigger(LocatedString? Path, LocatedString? Url, LocatedString? Secret, LocatedString? Method, SourceSpan Span) : TriggerDefinition(TriggerType.Webhook, Span);

/// <summary>File system changes under glob patterns, debounced.</summary>
public sealed record FileChangeTrigger(IReadOnlyList<LocatedString> Paths, int DebounceMs, IReadOnlyList<LocatedString> Events, SourceSpan Span) : TriggerDefinition(TriggerType.FileChange, Span)
{
    public const int DefaultDebounceMs = 500;
}
