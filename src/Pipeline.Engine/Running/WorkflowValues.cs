using System.Collections;
using System.Globalization;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;

namespace Pipeline.Engine.Running;

/// <summary>
/// Expression values of a workflow outside a running engine (a dry run's preview, a finished run's
/// notifications), built as a run builds them: <c>workflow.*</c>, and the environment a run sees.
/// </summary>
public static class WorkflowValues
{
    /// <summary><c>workflow</c>: name, version, description, category, execution_id, file, started_at.</summary>
    public static ExprValue Workflow(WorkflowDefinition w, string executionId, DateTimeOffset startedAt) => ExprValue.Object(
    [
        new("name", ExprValue.String(w.Name.Value)),
        new("version", ExprValue.String(w.Version?.Value)),
        new("description", ExprValue.String(w.Description?.Value)),
        new("category", ExprValue.String(w.Category?.Value)),
        new("execution_id", ExprValue.String(executionId)),
        new("file", ExprValue.String(w.Path)),
        new("started_at", ExprValue.String(startedAt.ToString("O", CultureInfo.InvariantCulture))),
    ]);

    /// <summary><c>secrets</c> from their values by name.</summary>
    public static ExprValue Secrets(IReadOnlyDictionary<string, string> secrets) =>
        ExprValue.Object(secrets.Select(s => new KeyValuePair<string, ExprValue>(s.Key, ExprValue.String(s.Value))));

    /// <summary>
    /// <c>env</c> as a run sees it (names case-insensitive): the process environment, the workflow's
    /// <c>environment</c> rendered in order (each value seeing the ones before it), then the run's
    /// <c>-e</c> overrides. A value that cannot be rendered yet (it reads <c>tasks.*</c>) is left out.
    /// </summary>
    public static Dictionary<string, ExprValue> Environment(WorkflowDefinition w, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> overrides)
    {
        var env = new Dictionary<string, ExprValue>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables()) env[(string)e.Key] = ExprValue.String((string?)e.Value ?? "");
        AddLevel(env, w.Environment, Secrets(secrets));
        foreach (var (k, v) in overrides) env[k] = ExprValue.String(v);
        return env;
    }

    /// <summary>Renders one level of name: value pairs against <paramref name="env"/> and adds them to it.</summary>
    public static void AddLevel(Dictionary<string, ExprValue> env, IEnumerable<NamedValue> values, ExprValue secrets)
    {
        foreach (var v in values)
        {
            var context = new ExpressionContext().Set(ExpressionRoots.Env, ExprValue.Object(env)).Set(ExpressionRoots.Secrets, secrets);
            try { env[v.Name.Value] = ExprValue.String(RunEnvironment.Render(v.Value.Value, context)); }
            catch (ExpressionException) { }
        }
    }
}
