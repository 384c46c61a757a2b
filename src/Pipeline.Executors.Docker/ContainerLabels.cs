namespace Pipeline.Executors.Docker;

/// <summary>
/// Labels on every container and image a run creates, so what a killed runner left behind can be
/// found by execution and task (resume removes it, and so does <c>workflow prune</c>'s clean-up).
/// </summary>
public static class ContainerLabels
{
    public const string Managed = "dev.pipeline.managed";
    public const string Execution = "dev.pipeline.execution";
    public const string Task = "dev.pipeline.task";
    public const string Workflow = "dev.pipeline.workflow";

    /// <summary>On containers of tasks with <c>keep: true</c>: clean-up leaves them for the user.</summary>
    public const string Kept = "dev.pipeline.keep";

    public static Dictionary<string, string> For(string executionId, string taskInstance, string workflow, bool keep = false)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Managed] = "true",
            [Execution] = executionId,
            [Task] = taskInstance,
            [Workflow] = workflow,
        };
        if (keep) labels[Kept] = "true";
        return labels;
    }
}
