using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Expressions;

/// <summary>
/// The tasks a task reads through expressions (<c>${tasks.build.outputs.version}</c>,
/// <c>tasks.test.status == 'success'</c>) in its condition, items and fields. A task that reads another
/// needs that task's result in the same run: <c>run --only</c> and the Actions jobs of
/// <c>workflow ci github</c> keep them together.
/// </summary>
public static class TaskReferences
{
    public static IReadOnlyCollection<string> Of(TaskDefinition task)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        if (task.Condition is { } condition) Add(Parser.ParseStandalone(condition.Value));
        if (task is LoopTask { ItemsExpression: { } items }) Add(Parser.ParseStandalone(items.Value));
        foreach (var (_, value) in task.InterpolatedFields())
        {
            if (value.Value.IndexOf("${", StringComparison.Ordinal) < 0) continue;
            foreach (var segment in InterpolatedString.Parse(value.Value).Segments.OfType<ExpressionSegment>()) Add(segment.Expression);
        }
        ids.Remove(task.Id.Value);
        return ids;

        void Add(ParsedExpression parsed)
        {
            if (parsed.Root is null) return;
            foreach (var node in parsed.Root.Descendants().OfType<NamedValueNode>())
            {
                if (node.Name != ExpressionRoots.Tasks) continue;
                var chain = ExpressionRules.AccessChain(parsed.Root, node);
                if (chain.Count > 0) ids.Add(chain[0].Name);
            }
        }
    }
}
