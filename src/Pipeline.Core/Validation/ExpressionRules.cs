using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Validation;

/// <summary>
/// Conditions and ${...} parse, call known functions, and name things that exist: declared env and
/// secrets, existing tasks and their properties, item/index only inside loops. Positions point at the
/// offending token inside the string.
/// </summary>
internal static class ExpressionRules
{
    public static void Check(ValidationContext ctx)
    {
        var scopes = new Scopes(ctx);
        var w = ctx.Workflow;
        foreach (var env in w.Environment) CheckInterpolated(ctx, scopes, null, env.Value);
        if (w.ConcurrencyGroup is { } group) CheckInterpolated(ctx, scopes, null, group);
        // Notification settings are rendered for a finished run: execution.* is known in all of them.
        foreach (var settings in new[] { w.Notifications }.Concat(w.Tasks.Select(t => t.Notifications)))
        {
            if (settings is null) continue;
            if (settings.Link is { } link) CheckInterpolated(ctx, scopes, null, link, execution: true);
            foreach (var channel in settings.Channels)
                foreach (var s in channel.Settings) CheckInterpolated(ctx, scopes, null, s.Value, execution: true);
        }

        foreach (var task in w.Tasks)
        {
            if (task.Condition is { } condition) CheckStandalone(ctx, scopes, task, condition);
            if (task is LoopTask { ItemsExpression: { } items }) CheckStandalone(ctx, scopes, task, items, insideLoop: false);
            foreach (var (_, value) in task.InterpolatedFields()) CheckInterpolated(ctx, scopes, task, value);
        }
    }

    /// <summary>A condition or items expression: bare (<c>env.X == 'a'</c>) or wrapped whole in <c>${ }</c>.</summary>
    private static void CheckStandalone(ValidationContext ctx, Scopes scopes, TaskDefinition task, LocatedString value, bool? insideLoop = null)
    {
        var (text, offset) = InterpolatedString.UnwrapWhole(value.Value);
        // The language gives an empty expression the value null, which as a condition is never true:
        // that is a mistake in a workflow file, not a way to write "never".
        if (string.IsNullOrWhiteSpace(text))
        {
            ctx.Diagnostics.Report(Descriptors.ExpressionSyntax, value.Span, "empty expression: as a condition it is never true, as items it is no list",
                "write an expression such as env.MODE == 'release', or remove the field");
            return;
        }
        var parsed = Parser.Parse(text);
        CheckParsed(ctx, scopes, task, value, parsed, offset, isCondition: true, insideLoop);
    }

    // execution: true in notification templates, where execution.* describes the finished run.
    private static void CheckInterpolated(ValidationContext ctx, Scopes scopes, TaskDefinition? task, LocatedString value, bool execution = false)
    {
        if (value.Value.IndexOf("${", StringComparison.Ordinal) < 0) return;
        var interpolated = InterpolatedString.Parse(value.Value, template: execution);
        foreach (var error in interpolated.Errors)
            ctx.Diagnostics.Report(Descriptors.UnterminatedInterpolation, value.SpanOf(error.Start, error.Length), error.Message, error.Hint);
        foreach (var segment in interpolated.Segments.OfType<ExpressionSegment>())
            CheckParsed(ctx, scopes, task, value, segment.Expression, segment.ExpressionStart, isCondition: false, insideLoop: null, execution);
    }

    private static void CheckParsed(ValidationContext ctx, Scopes scopes, TaskDefinition? task, LocatedString value, ParsedExpression parsed, int offset,
        bool isCondition, bool? insideLoop, bool execution = false)
    {
        var bag = ctx.Diagnostics;
        SourceSpan At(int start, int length) => value.SpanOf(offset + start, Math.Max(1, length));

        if (parsed.Error is { } error)
        {
            var descriptor = error.Kind == ExpressionErrorKind.UnknownFunction ? Descriptors.UnknownFunction : Descriptors.ExpressionSyntax;
            bag.Report(descriptor, At(error.Start, error.Length), $"in \"{Shorten(value.Value)}\": {error.Message}", error.Hint);
            return;
        }

        foreach (var node in parsed.Root!.Descendants().OfType<NamedValueNode>())
        {
            var chain = AccessChain(parsed.Root!, node);
            CheckName(ctx, scopes, task, node, chain, At, insideLoop ?? (task is not null && scopes.IsInsideLoop(task.Id.Value)), isCondition, execution);
        }
    }

    /// <summary>The literal property names read from a root: <c>tasks.build.outputs.v</c> → [build, outputs, v].</summary>
    internal static List<(string Name, ExprNode Node)> AccessChain(ExprNode root, NamedValueNode named)
    {
        var parents = new Dictionary<ExprNode, ExprNode>();
        foreach (var n in root.Descendants())
        {
            switch (n)
            {
                case IndexNode i: parents[i.Target] = i; break;
                case WildcardNode w: parents[w.Target] = w; break;
            }
        }
        var chain = new List<(string, ExprNode)>();
        ExprNode current = named;
        while (parents.TryGetValue(current, out var parent) && parent is IndexNode index && index.Index is LiteralNode { Value.Kind: ExprKind.String } literal)
        {
            chain.Add((literal.Value.AsString, literal));
            current = parent;
        }
        return chain;
    }

    private static void CheckName(ValidationContext ctx, Scopes scopes, TaskDefinition? task, NamedValueNode node, List<(string Name, ExprNode Node)> chain,
        Func<int, int, SourceSpan> at, bool insideLoop, bool isCondition, bool execution)
    {
        var bag = ctx.Diagnostics;
        var taskLabel = task is null ? "the workflow" : $"task '{task.Id.Value}'";
        SourceSpan Span(ExprNode n) => at(n.Start, n.Length);

        switch (node.Name)
        {
            case ExpressionRoots.Env:
                if (chain.Count == 0) return;
                var envName = chain[0].Name;
                if (!scopes.EnvDeclared(task, envName))
                    bag.Report(Descriptors.UndeclaredEnv, Span(chain[0].Node), $"env.{envName} is not declared in the workflow's environment or {taskLabel}'s env; it is read from the machine at run time",
                        $"declare \"{envName}\" under \"environment\" to document it, or ignore this if it always comes from the machine");
                return;
            case ExpressionRoots.Secrets:
                if (chain.Count == 0) return;
                var secret = chain[0].Name;
                if (!ctx.Workflow.Secrets.Any(s => string.Equals(s.Name.Value, secret, StringComparison.OrdinalIgnoreCase)))
                {
                    var suggestion = Suggest.Closest(secret, ctx.Workflow.Secrets.Select(s => s.Name.Value));
                    bag.Report(Descriptors.UnknownSecret, Span(chain[0].Node), $"secret '{secret}' is not declared",
                        suggestion is not null ? $"did you mean '{suggestion}'?" : $"add \"secrets\": [\"{secret}\"] to the workflow; its value is read from the environment variable {secret}");
                }
                return;
            case ExpressionRoots.Tasks:
                CheckTaskReference(ctx, scopes, task, chain, Span);
                return;
            case ExpressionRoots.Item:
            case ExpressionRoots.Index:
                if (!insideLoop)
                    bag.Report(Descriptors.ItemOutsideLoop, Span(node), $"'{node.Name}' is only defined in the task of a loop, and {taskLabel} is not one",
                        $"use it in a loop's \"task\", or write $${{{node.Name}}} to pass ${{{node.Name}}} to the shell unchanged");
                return;
            case ExpressionRoots.Workflow:
                CheckProperty(bag, chain, ExpressionRoots.WorkflowProperties, "workflow", Span);
                return;
            case ExpressionRoots.Trigger:
                CheckProperty(bag, chain, ExpressionRoots.TriggerProperties, "trigger", Span);
                return;
            case ExpressionRoots.Execution when execution:
                CheckProperty(bag, chain, ExpressionRoots.ExecutionProperties, "execution", Span);
                return;
            case ExpressionRoots.Execution:
                bag.Report(Descriptors.UnknownNamedValue, Span(node), $"'execution' describes a finished run, so it is known only in notification settings and templates",
                    "use it in notifications; here, workflow.execution_id names the run");
                return;
            default:
                var roots = execution ? ExpressionRoots.All.Append(ExpressionRoots.Execution).ToList() : ExpressionRoots.All;
                var close = Suggest.Closest(node.Name, roots);
                bag.Report(Descriptors.UnknownNamedValue, Span(node), $"unknown name '{node.Name}' in {(isCondition ? "condition" : "expression")} of {taskLabel}",
                    close is not null ? $"did you mean '{close}'?" : $"expressions start from {string.Join(", ", roots)}; quote text as '{node.Name}'");
                return;
        }
    }

    private static void CheckProperty(DiagnosticBag bag, List<(string Name, ExprNode Node)> chain, IReadOnlyList<string> allowed, string root, Func<ExprNode, SourceSpan> span)
    {
        if (chain.Count == 0 || allowed.Contains(chain[0].Name, StringComparer.OrdinalIgnoreCase)) return;
        var suggestion = Suggest.Closest(chain[0].Name, allowed);
        bag.Report(Descriptors.UnknownProperty, span(chain[0].Node), $"'{root}' has no property '{chain[0].Name}'",
            suggestion is not null ? $"did you mean '{suggestion}'? Properties: {string.Join(", ", allowed)}" : $"properties: {string.Join(", ", allowed)}");
    }

    private static void CheckTaskReference(ValidationContext ctx, Scopes scopes, TaskDefinition? task, List<(string Name, ExprNode Node)> chain, Func<ExprNode, SourceSpan> span)
    {
        var bag = ctx.Diagnostics;
        if (chain.Count == 0) return;
        var (id, idNode) = chain[0];
        if (!ctx.KnownIds.Contains(id))
        {
            bag.Report(Descriptors.UnknownTaskInExpression, span(idNode), $"expression reads unknown task '{id}'", ctx.UnknownHint(id));
            return;
        }
        if (chain.Count > 1) CheckProperty(bag, chain.Skip(1).ToList(), ExpressionRoots.TaskProperties, $"tasks.{id}", span);
        if (chain.Count > 2 && string.Equals(chain[1].Name, "outputs", StringComparison.OrdinalIgnoreCase) &&
            ctx.TasksById.TryGetValue(id, out var source) && source.Outputs.Count > 0 &&
            !source.Outputs.Any(o => string.Equals(o.Name.Value, chain[2].Name, StringComparison.OrdinalIgnoreCase)))
        {
            bag.Report(Descriptors.UnknownProperty, span(chain[2].Node), $"task '{id}' declares no output '{chain[2].Name}'",
                $"its outputs are: {string.Join(", ", source.Outputs.Select(o => o.Name.Value))}");
        }
        if (task is not null && id != task.Id.Value && !scopes.Upstream(task.Id.Value).Contains(id))
            bag.Report(Descriptors.OutputNotUpstream, span(idNode), $"task '{task.Id.Value}' reads task '{id}' but does not depend on it, so '{id}' may not have run yet",
                $"add \"{id}\" to depends_on of '{task.Id.Value}'");
    }

    private static string Shorten(string s)
    {
        var oneLine = s.Replace("\r", " ").Replace("\n", " ");
        return oneLine.Length <= 60 ? oneLine : oneLine.Substring(0, 57) + "...";
    }

    /// <summary>Precomputed facts about tasks: their upstream tasks, inherited env, loop membership.</summary>
    private sealed class Scopes
    {
        private readonly ValidationContext _ctx;
        private readonly Dictionary<string, HashSet<string>> _upstream = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _invokers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _loopTemplates = new(StringComparer.Ordinal);

        public Scopes(ValidationContext ctx)
        {
            _ctx = ctx;
            foreach (var t in ctx.Workflow.Tasks)
            {
                foreach (var (_, r) in t.InvokedTasks())
                {
                    if (!_invokers.TryGetValue(r.Id, out var list)) _invokers[r.Id] = list = new List<string>();
                    list.Add(t.Id.Value);
                }
                if (t is LoopTask loop) _loopTemplates.Add(loop.Template.Id);
            }
        }

        /// <summary>
        /// Tasks certain to have finished before <paramref name="id"/> starts: its transitive dependencies,
        /// and for a callback, child or branch, the invoking task and everything upstream of it.
        /// </summary>
        public HashSet<string> Upstream(string id)
        {
            if (_upstream.TryGetValue(id, out var cached)) return cached;
            var result = new HashSet<string>(StringComparer.Ordinal);
            _upstream[id] = result; // guards against cycles (reported elsewhere)
            if (_ctx.TasksById.TryGetValue(id, out var task))
            {
                foreach (var dep in task.DependsOn)
                {
                    if (!_ctx.TasksById.ContainsKey(dep.Id)) continue;
                    result.Add(dep.Id);
                    result.UnionWith(Upstream(dep.Id));
                }
                var parents = new List<string>();
                if (task.Owner is not null) parents.Add(task.Owner);
                if (_invokers.TryGetValue(id, out var invokers)) parents.AddRange(invokers);
                foreach (var parent in parents.Distinct())
                {
                    result.Add(parent);
                    result.UnionWith(Upstream(parent));
                }
            }
            return result;
        }

        public bool IsInsideLoop(string id)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var current = id;
            while (current is not null && seen.Add(current))
            {
                if (_loopTemplates.Contains(current)) return true;
                current = _ctx.TasksById.TryGetValue(current, out var t) ? t.Owner! : null!;
            }
            return false;
        }

        /// <summary>Declared in the workflow's environment, the task's env, or an owner's env (inline tasks inherit it).</summary>
        public bool EnvDeclared(TaskDefinition? task, string name)
        {
            if (_ctx.Workflow.Environment.Any(e => e.Name.Value == name)) return true;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var t = task; t is not null && seen.Add(t.Id.Value); t = t.Owner is null ? null : _ctx.TasksById.TryGetValue(t.Owner, out var o) ? o : null)
                if (t.Env.Any(e => e.Name.Value == name)) return true;
            return false;
        }
    }
}
