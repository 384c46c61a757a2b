using Pipeline.Core.Graph;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.TestHelpers;

namespace Pipeline.Core.Tests;

/// <summary>The graph's views by position (what the engine walks) agree with its views by id (what tools print).</summary>
public class GraphTests
{
    [Fact]
    public void Positions_and_ids_describe_the_same_edges_in_file_order()
    {
        var graph = WorkflowGraph.Build(ReadJson(Workflow("""
                { "id": "a", "type": "shell", "command": "true" },
                { "id": "b", "type": "shell", "command": "true", "depends_on": ["a", "a", "ghost"] },
                { "id": "c", "type": "shell", "command": "true", "depends_on": ["a"] },
                { "id": "d", "type": "shell", "command": "true", "depends_on": ["c", "b", "d"] }
            """)).Workflow!);

        Assert.Equal(4, graph.Count);
        Assert.Equal(new[] { "a", "b", "c", "d" }, graph.Nodes);
        Assert.Equal(new[] { "b", "c" }, graph.Dependents["a"]);
        Assert.Equal(new[] { "a" }, graph.Dependencies["b"]); // twice, and an unknown id: once
        Assert.Equal(new[] { "c", "b" }, graph.Dependencies["d"]); // as written, without itself
        for (var i = 0; i < graph.Count; i++)
        {
            var id = graph.Nodes[i];
            Assert.Equal(i, graph.IndexOf(id));
            Assert.Same(graph.Task(id), graph.TaskAt(i));
            Assert.Equal(graph.Dependencies[id], graph.DependencyIndices(i).Select(d => graph.Nodes[d]));
            Assert.Equal(graph.Dependents[id], graph.DependentIndices(i).Select(d => graph.Nodes[d]));
        }
        Assert.Equal(new[] { "a", "b", "c", "d" }, graph.TopologicalOrder);
        Assert.Equal(graph.TopologicalOrder, graph.TopologicalIndices.Select(i => graph.Nodes[i]));
        Assert.Equal(new[] { new[] { "a" }, new[] { "b", "c" }, new[] { "d" } }, graph.Levels);
    }

    [Fact]
    public void Tasks_after_a_cycle_still_get_levels_and_the_cycle_has_no_edges_left()
    {
        var graph = WorkflowGraph.Build(ReadJson(Workflow("""
                { "id": "start", "type": "shell", "command": "true", "timeout": 5 },
                { "id": "one", "type": "shell", "command": "true", "depends_on": ["two", "start"] },
                { "id": "two", "type": "shell", "command": "true", "depends_on": ["one"] },
                { "id": "after", "type": "shell", "command": "true", "depends_on": ["start", "two"], "timeout": 7 }
            """)).Workflow!);

        Assert.Equal(new[] { "two", "start" }, graph.Dependencies["one"]); // every edge, as written
        Assert.Equal(new[] { "after" }, graph.Dependents["start"]); // edges into the cycle are dropped
        Assert.Empty(graph.DependentIndices(graph.IndexOf("two")));
        Assert.Equal(4, graph.TopologicalOrder.Count);
        Assert.Equal(new[] { new[] { "start", "one", "two" }, new[] { "after" } }, graph.Levels);
        Assert.Equal(new[] { "start", "after" }, graph.CriticalPath);
        Assert.Equal(12, graph.EstimatedSeconds);
    }

    [Fact]
    public void Every_task_type_has_the_name_files_use()
    {
        foreach (var type in Enum.GetValues<TaskType>())
        {
            var name = TaskTypes.NameOf(type);
            Assert.Equal(type.ToString().ToLowerInvariant(), name);
            if (TaskTypes.ByName.TryGetValue(name, out var read)) Assert.Equal(type, read);
        }
        Assert.Equal(TaskTypes.ByName.Count, Enum.GetValues<TaskType>().Count(t => TaskTypes.ByName.ContainsKey(TaskTypes.NameOf(t))));
    }

    [Theory]
    [InlineData("a>b b>c", "")] // a chain
    [InlineData("a>b a>c b>d c>d", "")] // a diamond
    [InlineData("a>b b>a c>a", "a b a")] // a cycle with a task hanging off it
    [InlineData("x>y y>z z>y", "y z y")] // the cycle only after a task outside it
    [InlineData("a>a b>c", "a a")] // a task depending on itself
    [InlineData("a>b b>c c>a d>e e>d", "a b c a|d e d")] // two cycles, in file order
    public void Cycles_are_found_whether_or_not_the_quick_check_rules_them_out(string edges, string expected)
    {
        var pairs = edges.Split(' ').Select(e => (From: e.Split('>')[0], To: e.Split('>')[1])).ToList();
        var nodes = pairs.SelectMany(p => new[] { p.From, p.To }).Distinct().ToList();
        var found = Pipeline.Core.Graph.Cycles.Find(nodes, n => pairs.Where(p => p.From == n).Select(p => p.To));
        Assert.Equal(expected, string.Join("|", found.Select(c => string.Join(" ", c))));
    }
}
