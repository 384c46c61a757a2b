using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Telemetry;

/// <summary>
/// Traces and metrics of runs, through the runtime's own <see cref="ActivitySource"/> and
/// <see cref="Meter"/> named <see cref="Name"/>: a span per execution (<c>workflow.run</c>) with a child
/// span per task attempt (<c>task.attempt</c>), and counters and histograms of runs and tasks. The
/// engine depends on no exporter; whoever hosts it listens (the workflow tool sends them over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set). With nobody listening, nothing is created.
/// Attribute names follow OpenTelemetry's conventions where one exists (<c>process.exit.code</c>,
/// <c>error.type</c>) and are <c>pipeline.*</c> otherwise.
/// </summary>
public static class EngineTelemetry
{
    public const string Name = "Pipeline.Engine";

    private static readonly string? Version = typeof(EngineTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(Name, Version);
    private static readonly Meter Meter = new(Name, Version);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("pipeline.runs", "{run}", "Runs finished, by workflow and status");
    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("pipeline.run.duration", "s", "How long runs took, by workflow and status");
    private static readonly Counter<long> TaskAttempts = Meter.CreateCounter<long>("pipeline.task.attempts", "{attempt}", "Task attempts finished, by workflow, task, type and status");
    private static readonly Counter<long> TaskFailures = Meter.CreateCounter<long>("pipeline.task.failures", "{attempt}", "Task attempts that failed or timed out, by workflow, task and type");
    private static readonly Histogram<double> TaskDuration = Meter.CreateHistogram<double>("pipeline.task.duration", "s", "How long task attempts took, by workflow, task, type and status");

    /// <summary>The run's span, current for everything the run starts; null when nobody listens.</summary>
    internal static Activity? StartRun(WorkflowDefinition workflow, string executionId, RunOptions options)
    {
        var activity = Source.StartActivity("workflow.run " + workflow.Name.Value, ActivityKind.Internal);
        if (activity is null) return null;
        activity.SetTag("pipeline.workflow", workflow.Name.Value);
        if (workflow.Version is { } version) activity.SetTag("pipeline.workflow.version", version.Value);
        activity.SetTag("pipeline.execution.id", executionId);
        activity.SetTag("pipeline.trigger", options.TriggerType);
        activity.SetTag("pipeline.resumed", options.Resumed is not null);
        return activity;
    }

    internal static void FinishRun(Activity? activity, RunResult result)
    {
        var status = result.Status.ToString().ToLowerInvariant();
        var tags = new TagList { { "pipeline.workflow", result.Workflow }, { "pipeline.status", status } };
        Runs.Add(1, tags);
        RunDuration.Record((result.FinishedAt - result.StartedAt).TotalSeconds, tags);
        if (activity is null) return;
        activity.SetTag("pipeline.status", status);
        activity.SetTag("pipeline.tasks", result.Tasks.Count);
        if (result.Status == RunStatus.Succeeded) activity.SetStatus(ActivityStatusCode.Ok);
        else activity.SetStatus(ActivityStatusCode.Error, result.Error);
        activity.Stop();
    }

    /// <summary>One attempt's span, a child of the run's; null when nobody listens.</summary>
    internal static Activity? StartAttempt(string workflow, string executionId, TaskDefinition task, string instanceId, int attempt)
    {
        if (!Source.HasListeners()) return null; // not even the span's name to build: once per attempt, on the hot path
        var activity = Source.StartActivity("task.attempt " + task.Id.Value, ActivityKind.Internal);
        if (activity is null) return null;
        activity.SetTag("pipeline.workflow", workflow);
        activity.SetTag("pipeline.execution.id", executionId);
        activity.SetTag("pipeline.task", task.Id.Value);
        if (instanceId != task.Id.Value) activity.SetTag("pipeline.task.instance", instanceId);
        activity.SetTag("pipeline.task.type", TaskTypes.NameOf(task.Type));
        activity.SetTag("pipeline.task.attempt", attempt);
        return activity;
    }

    internal static void FinishAttempt(Activity? activity, string workflow, TaskDefinition task, AttemptRecord record)
    {
        // Nothing to build when nobody listens: this runs once per attempt, on the engine's hot path.
        if (activity is null && !TaskAttempts.Enabled && !TaskDuration.Enabled && !TaskFailures.Enabled) return;
        var status = record.State.Name();
        var type = TaskTypes.NameOf(task.Type);
        var tags = new TagList { { "pipeline.workflow", workflow }, { "pipeline.task", task.Id.Value }, { "pipeline.task.type", type }, { "pipeline.status", status } };
        TaskAttempts.Add(1, tags);
        TaskDuration.Record((record.FinishedAt - record.StartedAt).TotalSeconds, tags);
        if (record.State.IsFailure()) TaskFailures.Add(1, new TagList { { "pipeline.workflow", workflow }, { "pipeline.task", task.Id.Value }, { "pipeline.task.type", type } });
        if (activity is null) return;
        activity.SetTag("pipeline.status", status);
        if (record.ExitCode is { } code) activity.SetTag("process.exit.code", code);
        if (record.State.IsFailure())
        {
            activity.SetTag("error.type", status);
            activity.SetStatus(ActivityStatusCode.Error, record.Error);
        }
        else activity.SetStatus(ActivityStatusCode.Ok);
        activity.Stop();
    }
}
