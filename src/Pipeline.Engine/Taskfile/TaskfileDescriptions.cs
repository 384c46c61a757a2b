namespace Pipeline.Engine.Taskfile;

/// <summary>
/// A task's <c>desc</c> and <c>summary</c> rendered with its variables, for <c>--list</c> and <c>--summary</c>.
/// Like go-task's fast compile, <c>sh:</c> variables are not run (listing must not run commands).
/// </summary>
public static class TaskfileDescriptions
{
    public static async Task<(string? Desc, string? Summary)> RenderAsync(TaskfileProject project, TaskfileEntry entry, CancellationToken ct = default)
    {
        var task = entry.Task;
        if (task.Desc is null && task.Summary is null) return (null, null);
        try
        {
            var compiled = await new TaskfileCompiler(project, new TaskfileRunOptions(), dynamic: false)
                .CompileAsync(entry, new Dictionary<string, object?>(), [], null, ct);
            return (task.Desc is { } d ? TaskfileCompiler.Render(d.Value, compiled.MaskedData, entry, "desc") : null,
                task.Summary is { } s ? TaskfileCompiler.Render(s.Value, compiled.MaskedData, entry, "summary") : null);
        }
        catch (TaskfileException)
        {
            return (task.Desc?.Value, task.Summary?.Value); // a template that needs run-time values: show it as written
        }
    }
}
