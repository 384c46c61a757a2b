using System.Globalization;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.Engine.Secrets;

namespace Pipeline.Notifications.Messages;

/// <summary>
/// What a run's notifications may read: the workflow, its environment (the machine's, the
/// workflow's, <c>-e</c> values), its declared secrets (for a channel's password or URL), what
/// started it, and the masker that keeps those secrets out of every message.
/// </summary>
public sealed class RunScope
{
    public required WorkflowDefinition Workflow { get; init; }

    /// <summary>Declared secrets by name (secrets.*).</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Other values to mask (secret -e parameters).</summary>
    public IReadOnlyList<string> MaskedValues { get; init; } = [];

    /// <summary>-e NAME=value overrides of the run.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string Trigger { get; init; } = "manual";

    private SecretMasker? _masker;

    public SecretMasker Masker => _masker ??= new SecretMasker(Secrets.Values.Concat(MaskedValues));

    /// <summary>The expression context for one message: env, secrets, workflow, trigger and execution.</summary>
    internal ExpressionContext Context(RunFacts facts, NotificationEvent e, string? link)
    {
        var w = Workflow;
        var context = new ExpressionContext()
            .Set(ExpressionRoots.Secrets, WorkflowValues.Secrets(Secrets))
            .Set(ExpressionRoots.Workflow, WorkflowValues.Workflow(w, facts.ExecutionId, facts.StartedAt))
            .Set(ExpressionRoots.Trigger, ExprValue.Object([new("type", ExprValue.String(Trigger))]))
            .Set(ExpressionRoots.Execution, ExprValue.Object(
            [
                new("id", ExprValue.String(facts.ExecutionId)),
                new("status", ExprValue.String(facts.Status)),
                new("event", ExprValue.String(e.Name)),
                new("duration", ExprValue.String(facts.DurationText)),
                new("duration_seconds", ExprValue.Number(Math.Round(facts.Duration.TotalSeconds, 3))),
                new("error", ExprValue.String(facts.Error)),
                new("failed_task", ExprValue.String(facts.FailedTask)),
                new("failed_tasks", ExprValue.String(string.Join(", ", facts.FailedTasks))),
                new("log", ExprValue.String(facts.Log)),
                new("status_command", ExprValue.String(facts.StatusCommand)),
                new("link", ExprValue.String(link)),
                new("started_at", ExprValue.String(Iso(facts.StartedAt))),
                new("finished_at", ExprValue.String(Iso(facts.FinishedAt))),
                new("trigger", ExprValue.String(facts.Trigger)),
                new("tasks_total", ExprValue.Number(facts.TasksTotal)),
                new("tasks_failed", ExprValue.Number(facts.TasksFailed)),
                new("alert", ExprValue.String(facts.Alert)),
            ]));
        context.SetLazy(ExpressionRoots.Env, () => ExprValue.Object(WorkflowValues.Environment(w, Secrets, Environment)));
        return context;
    }

    /// <summary>Renders a notification setting or template (where <c>${execution.*}</c> is an expression).</summary>
    internal static string Render(string text, ExpressionContext context) =>
        text.Contains("${", StringComparison.Ordinal) ? InterpolatedString.Parse(text, template: true).Render(context) : text;

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
