using Pipeline.Core.Expressions;
using Pipeline.Core.Model;

namespace Pipeline.Cli.GitHub;

/// <summary>How <c>workflow ci github</c> cuts a workflow into Actions jobs.</summary>
public enum JobLayout
{
    /// <summary>A job per task (tasks that must share a run share a job); needs mirror depends_on.</summary>
    PerTask,

    /// <summary>A job per parallel level; each needs the level before.</summary>
    PerLevel,

    /// <summary>One job runs the whole workflow (rollback included).</summary>
    Single,
}

/// <summary>One Actions job: its id, the workflow's tasks it runs (null: all of them) and the jobs it needs.</summary>
public sealed record ActionsJob(string Id, IReadOnlyList<string>? Tasks, IReadOnlyList<string> Needs);

/// <summary>
/// The jobs for a workflow. Every job runs its share with <c>workflow run --only</c>, in its own runner,
/// so tasks that need each other's results in one run go in one job: a task that reads another through
/// <c>${tasks.…}</c>, and a task whose condition asks how its dependencies ended (<c>failure()</c>, …)
/// with those dependencies. Where that would make jobs need each other in a circle, they merge.
/// </summary>
public static class ActionsJobPlan
{
    public static IReadOnlyList<ActionsJob> For(WorkflowDefinition workflow, JobLayout layout)
    {
        if (layout == JobLayout.Single) return [new ActionsJob("run", null, [])];
        var tasks = workflow.DagTasks();
        var ids = tasks.Select(t => t.Id.Value).ToList();
        var dag = new HashSet<string>(ids, StringComparer.Ordinal);

        // Tasks that must share a run, as a union-find over task ids.
        var parent = ids.ToDictionary(i => i, i => i, StringComparer.Ordinal);
        string Find(string i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        void Union(string a, string b) => parent[Find(a)] = Find(b);
        foreach (var task in tasks)
        {
            foreach (var read in TaskReferences.Of(task).Where(dag.Contains)) Union(task.Id.Value, read);
            if (task.Condition is { } c && Parser.ParseStandalone(c.Value).CallsStatusFunction)
                foreach (var dep in task.DependsOn.Where(d => dag.Contains(d.Id))) Union(task.Id.Value, dep.Id);
        }
        // Groups that need each other, directly or around a circle, become one (strongly connected components).
        while (MergeCycle(tasks, Find, Union, dag)) { }

        var groups = ids.GroupBy(Find, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var groupOf = groups.SelectMany((g, n) => g.Select(t => (t, n))).ToDictionary(x => x.t, x => x.n, StringComparer.Ordinal);
        var needs = groups.Select(g => g.SelectMany(t => tasks.First(x => x.Id.Value == t).DependsOn)
            .Where(d => dag.Contains(d.Id)).Select(d => groupOf[d.Id]).Distinct().Where(n => n != groupOf[g[0]]).ToList()).ToList();

        if (layout == JobLayout.PerTask)
        {
            var names = JobIds(groups.Select(g => g[0]));
            return groups.Select((g, n) => new ActionsJob(names[n], g, needs[n].Select(m => names[m]).ToList())).ToList();
        }

        // Per level: a group's level is one more than the deepest group it needs.
        var level = new int[groups.Count];
        bool changed;
        do
        {
            changed = false;
            for (var n = 0; n < groups.Count; n++)
            {
                var l = needs[n].Count == 0 ? 0 : needs[n].Max(m => level[m]) + 1;
                if (l != level[n]) { level[n] = l; changed = true; }
            }
        }
        while (changed);
        return Enumerable.Range(0, level.Length == 0 ? 0 : level.Max() + 1)
            .Select(l => new ActionsJob($"level-{l + 1}", groups.Where((_, n) => level[n] == l).SelectMany(g => g).OrderBy(ids.IndexOf).ToList(), l == 0 ? [] : [$"level-{l}"]))
            .ToList();
    }

    /// <summary>Finds one circle among the groups (a group needing a group that needs it back) and merges it; false when there is none.</summary>
    private static bool MergeCycle(IReadOnlyList<TaskDefinition> tasks, Func<string, string> find, Action<string, string> union, HashSet<string> dag)
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var t in tasks)
            foreach (var d in t.DependsOn.Where(d => dag.Contains(d.Id)))
                if (find(t.Id.Value) != find(d.Id))
                    (edges.TryGetValue(find(t.Id.Value), out var set) ? set : edges[find(t.Id.Value)] = new(StringComparer.Ordinal)).Add(find(d.Id));
        // Depth-first search; a grey node met again closes a circle, whose path is merged.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in edges.Keys.ToList())
            if (Visit(start)) return true;
        return false;

        bool Visit(string node)
        {
            if (state.TryGetValue(node, out var s))
            {
                if (s == 2) return false;
                var from = path.IndexOf(node);
                foreach (var other in path.Skip(from + 1)) union(other, node);
                return true;
            }
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.TryGetValue(node, out var set) ? set : [])
                if (Visit(next)) return true;
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return false;
        }
    }

    /// <summary>Actions job ids: a letter or _ first, then letters, digits, - and _; unique.</summary>
    private static List<string> JobIds(IEnumerable<string> taskIds)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var taskId in taskIds)
        {
            var id = new string(taskId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
            if (id.Length == 0 || !(char.IsAsciiLetter(id[0]) || id[0] == '_')) id = "task-" + id;
            var unique = id;
            for (var n = 2; !used.Add(unique); n++) unique = $"{id}-{n}";
            result.Add(unique);
        }
        return result;
    }
}
