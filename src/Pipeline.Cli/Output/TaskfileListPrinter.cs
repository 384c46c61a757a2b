using Pipeline.Core.Taskfile;
using Pipeline.Engine.Taskfile;

namespace Pipeline.Cli.Output;

/// <summary>go-task's <c>--list</c>, <c>--list-all</c> (text and <c>--format json</c>) and <c>--summary</c> output.</summary>
public static class TaskfileListPrinter
{
    /// <summary>Tasks to list: with a description (or all visible ones), root tasks first, then by name.</summary>
    public static List<TaskfileEntry> Listed(TaskfileProject project, bool all) => project.Tasks
        .Where(t => !t.IsInternal && (all || t.Task.Desc is not null))
        .OrderBy(t => t.Name.Contains(':') ? 1 : 0).ThenBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static void WriteList(TextWriter output, TaskfileProject project, bool all)
    {
        var tasks = Listed(project, all);
        var descriptions = tasks.ToDictionary(t => t.Name, t => TaskfileDescriptions.RenderAsync(project, t).GetAwaiter().GetResult().Desc ?? "");
        output.WriteLine("task: Available tasks for this project:");
        // go-task lays this out with a tabwriter (padding 6): "* name: " cells padded to the widest plus 6
        var width = tasks.Select(t => $"* {t.Name}: ".Length).DefaultIfEmpty(0).Max() + 6;
        for (var i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            var line = $"* {t.Name}: ".PadRight(width) + descriptions[t.Name];
            if (t.Task.Aliases.Count > 0)
            {
                // a tabwriter column spans consecutive lines that have it: the run of tasks with aliases around this one
                var first = i;
                while (first > 0 && tasks[first - 1].Task.Aliases.Count > 0) first--;
                var last = i;
                while (last + 1 < tasks.Count && tasks[last + 1].Task.Aliases.Count > 0) last++;
                var descWidth = tasks.Skip(first).Take(last - first + 1).Max(x => descriptions[x.Name].Length) + 6;
                line = $"* {t.Name}: ".PadRight(width) + descriptions[t.Name].PadRight(descWidth) + $"(aliases: {string.Join(", ", t.Aliases)})";
            }
            output.WriteLine(line.TrimEnd());
        }
    }

    public static void WriteJson(TextWriter output, TaskfileProject project, bool all)
    {
        var tasks = Listed(project, all).Select(t => (Entry: t, Text: TaskfileDescriptions.RenderAsync(project, t).GetAwaiter().GetResult())).Select(x => new
        {
            name = x.Entry.Name,
            task = x.Entry.Name,
            desc = x.Text.Desc ?? "",
            summary = x.Text.Summary ?? "",
            aliases = x.Entry.Aliases.ToArray(),
            location = new { line = x.Entry.Task.Name.Span.Line, column = x.Entry.Task.Name.Span.Column, taskfile = x.Entry.Scope.TaskfilePath },
        });
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { tasks, location = project.Root.TaskfilePath },
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>go-task's summary of one task: name, summary (or desc), aliases, dependencies, commands.</summary>
    public static void WriteSummary(TextWriter output, TaskfileProject project, TaskfileEntry entry)
    {
        var t = entry.Task;
        var (desc, summary) = TaskfileDescriptions.RenderAsync(project, entry).GetAwaiter().GetResult();
        output.WriteLine($"task: {entry.Name}");
        output.WriteLine();
        var text = summary?.TrimEnd('\n') ?? desc;
        output.WriteLine(text ?? "(task does not have description or summary)");
        if (t.Aliases.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("aliases:");
            foreach (var a in t.Aliases) output.WriteLine($" - {a.Value}");
        }
        if (t.Deps.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("dependencies:");
            foreach (var d in t.Deps) output.WriteLine($" - {d.Task.Value}");
        }
        if (t.Cmds.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("commands:");
            foreach (var c in t.Cmds)
                output.WriteLine(c.Kind == TaskfileCommandKind.Call ? $" - Task: {c.Call!.Task.Value}" : $" - {c.Script!.Value.TrimEnd('\n')}");
        }
    }
}
