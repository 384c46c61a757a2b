using Pipeline.Core.Taskfile;
using Pipeline.Engine.Taskfile;

namespace Pipeline.Cli.Output;

/// <summary>go-task's <c>--list</c> and <c>--list-all</c> output (text and <c>--format json</c>); <c>--summary</c> is <see cref="TaskfileSummary"/>.</summary>
public static class TaskfileListPrinter
{
    /// <summary>Tasks to list: with a description (or all visible ones), root tasks first, then by name.</summary>
    public static List<TaskfileEntry> Listed(TaskfileProject project, bool all) => project.Tasks
        .Where(t => !t.IsInternal && (all || t.Task.Desc is not null))
        .OrderBy(t => t.Name.Contains(':') ? 1 : 0).ThenBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The list, or go-task's line saying there is nothing to list (on stdout, as go-task prints it);
    /// false when there was nothing (go-task then exits with an error code).
    /// </summary>
    public static bool WriteListOrNone(TextWriter output, TaskfileProject project, bool all)
    {
        if (Listed(project, all).Count > 0)
        {
            WriteList(output, project, all);
            return true;
        }
        output.WriteLine(all ? "task: No tasks available" : "task: No tasks with description available. Try --list-all to list all tasks");
        return false;
    }

    public static void WriteList(TextWriter output, TaskfileProject project, bool all)
    {
        var tasks = Listed(project, all);
        // go-task puts a description on one line
        var descriptions = tasks.ToDictionary(t => t.Name, t => (TaskfileDescriptions.RenderAsync(project, t).GetAwaiter().GetResult().Desc ?? "").Replace("\n", " "));
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
            output.WriteLine(line); // a tabwriter pads every cell, an empty description too
        }
    }

    public static void WriteJson(TextWriter output, TaskfileProject project, bool all)
    {
        var tasks = Listed(project, all).Select(t => (Entry: t, Text: TaskfileDescriptions.RenderAsync(project, t).GetAwaiter().GetResult())).Select(x => new Dictionary<string, object?>
        {
            ["name"] = x.Entry.Name,
            ["task"] = x.Entry.Name,
            ["desc"] = x.Text.Desc ?? "",
            ["summary"] = x.Text.Summary ?? "",
            ["aliases"] = x.Entry.Aliases.ToArray(),
            ["location"] = new Dictionary<string, object?> { ["line"] = x.Entry.Task.Name.Span.Line, ["column"] = x.Entry.Task.Name.Span.Column, ["taskfile"] = x.Entry.Scope.TaskfilePath },
        }).ToList();
        output.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(new Dictionary<string, object?> { ["tasks"] = tasks, ["location"] = project.Root.TaskfilePath }, indented: true));
    }
}
