namespace Pipeline.Engine.Running;

/// <summary>
/// The workflow's <c>rollback</c> tasks, run one at a time when the run fails or is cancelled.
/// A rollback task undoes the tasks in its <c>depends_on</c>: it runs only if they all succeeded,
/// and rollback tasks run in reverse order of the completion of what they undo (the last change is
/// undone first). Rollback tasks without depends_on run after those, in the order listed. Rollback
/// runs under the clean-up token, so a second Ctrl-C stops it.
/// </summary>
internal static class Rollback
{
    public static async Task RunAsync(RunState run, TaskRunner runner, IReadOnlyDictionary<string, TaskResult> done)
    {
        var paired = new List<(Core.Model.TaskDefinition Task, DateTimeOffset Completed)>();
        var unpaired = new List<Core.Model.TaskDefinition>();
        foreach (var r in run.Workflow.Rollback)
        {
            var task = run.Find(r.Id);
            if (task.DependsOn.Count == 0) { unpaired.Add(task); continue; }
            var undone = task.DependsOn.Select(d => done.TryGetValue(d.Id, out var res) ? res : null).ToList();
            if (undone.All(u => u is not null && u.State.IsSuccess()))
                paired.Add((task, undone.Max(u => u!.FinishedAt!.Value)));
        }
        var order = paired.OrderByDescending(p => p.Completed).Select(p => p.Task).Concat(unpaired);
        foreach (var task in order)
        {
            var instance = new TaskInstance { InstanceId = "rollback/" + task.Id.Value, Role = "rollback", UpstreamFailed = true };
            await runner.RunAsync(task, instance, run.Options.CleanupToken).ConfigureAwait(false);
        }
    }
}
