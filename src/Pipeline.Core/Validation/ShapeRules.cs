using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Graph;

namespace Pipeline.Core.Validation;

/// <summary>Warnings about the DAG's shape that cost wall-clock time: bottlenecks and long sequential chains.</summary>
internal static class ShapeRules
{
    /// <summary>A task is a bottleneck when at least this many tasks, and half of all tasks, wait on it directly.</summary>
    public const int BottleneckMinDependents = 5;

    /// <summary>A chain of this many tasks, each waiting only on the previous one, is reported.</summary>
    public const int SequentialChainLength = 6;

    public static void Check(ValidationContext ctx)
    {
        var graph = WorkflowGraph.Build(ctx.Workflow);
        var count = graph.Nodes.Count;
        foreach (var id in graph.Nodes)
        {
            var dependents = graph.Dependents[id].Count;
            if (dependents >= BottleneckMinDependents && dependents * 2 >= count)
            {
                var task = ctx.TasksById[id];
                ctx.Diagnostics.Report(Descriptors.Bottleneck, task.Id.Span,
                    $"{dependents} of {count} tasks wait directly on '{id}': nothing else starts until it finishes",
                    "keep it short (cache its work), or split it so that tasks needing only part of it can start earlier");
            }
        }

        // Chains: start at a task that is not the single successor of a single-dependent predecessor.
        bool Linked(string from, string to) => graph.Dependents[from].Count == 1 && graph.Dependencies[to].Count == 1 && graph.Dependents[from][0] == to;
        foreach (var start in graph.Nodes)
        {
            if (graph.Dependencies[start].Count == 1 && Linked(graph.Dependencies[start][0], start)) continue;
            var chain = new List<string> { start };
            var current = start;
            while (graph.Dependents[current].Count == 1 && Linked(current, graph.Dependents[current][0]) && chain.Count <= count)
            {
                current = graph.Dependents[current][0];
                chain.Add(current);
            }
            if (chain.Count >= SequentialChainLength)
                ctx.Diagnostics.Report(Descriptors.SequentialChain, ctx.TasksById[start].Id.Span,
                    // A long chain is named by its ends, so the message stays one readable line.
                    $"{chain.Count} tasks run strictly one after another: " + (chain.Count <= 8
                        ? string.Join(" -> ", chain)
                        : $"{string.Join(" -> ", chain.Take(3))} -> ... -> {string.Join(" -> ", chain.Skip(chain.Count - 2))}"),
                    "if a task does not need the previous one's result, make it depend on an earlier task so they can run in parallel");
        }
    }
}
