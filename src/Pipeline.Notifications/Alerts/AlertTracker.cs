using Pipeline.Core.Model;
using Pipeline.State;

namespace Pipeline.Notifications.Alerts;

/// <summary>
/// Turns verdicts into messages, remembering each rule's state per workflow in the store: a rule
/// that starts firing is sent at once; while it keeps firing it is sent again at most once per
/// throttle window (saying how many firings were held back); when it clears, one "resolved"
/// message is sent. A rule that never fired and does not fire is not written down.
/// </summary>
internal static class AlertTracker
{
    public sealed record Due(string Rule, bool Resolved, string Text);

    public static IReadOnlyList<Due> Track(IStateStore store, string workflow, AlertSettings settings, IReadOnlyList<AlertRules.Verdict> verdicts, DateTimeOffset now)
    {
        var due = new List<Due>();
        var throttle = TimeSpan.FromSeconds(settings.ThrottleSeconds);
        var states = store.Alerts(workflow).ToDictionary(a => a.Rule, StringComparer.Ordinal);
        foreach (var v in verdicts)
        {
            var state = states.GetValueOrDefault(v.Rule);
            if (v.Firing)
            {
                if (state is not { Firing: true })
                {
                    due.Add(new Due(v.Rule, false, v.Detail));
                    store.SaveAlert(new AlertState(workflow, v.Rule, true, now, now, 0, v.Detail));
                }
                else if (state.LastSentAt is not { } sent || now - sent >= throttle)
                {
                    var held = state.Suppressed > 0 ? $" (still firing; {state.Suppressed} repeat(s) held back since {Engine.Running.DurationText.Format(now - (state.LastSentAt ?? state.Since))} ago)" : " (still firing)";
                    due.Add(new Due(v.Rule, false, v.Detail + held));
                    store.SaveAlert(state with { LastSentAt = now, Suppressed = 0, Detail = v.Detail });
                }
                else store.SaveAlert(state with { Suppressed = state.Suppressed + 1, Detail = v.Detail });
            }
            else if (state is { Firing: true })
            {
                due.Add(new Due(v.Rule, true, $"{v.Detail} (it fired for {Engine.Running.DurationText.Format(now - state.Since)})"));
                store.SaveAlert(new AlertState(workflow, v.Rule, false, now, now, 0, v.Detail));
            }
        }
        return due;
    }
}
