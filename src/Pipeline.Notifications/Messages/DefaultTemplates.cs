namespace Pipeline.Notifications.Messages;

/// <summary>What a message says when the user wrote no template for its event and channel.</summary>
internal static class DefaultTemplates
{
    public static string Text(NotificationEvent e, string workflow, RunFacts facts, string? taskId)
    {
        var subject = taskId is null ? workflow : $"Task {taskId} of {workflow}";
        return e.Kind switch
        {
            "success" => $"{subject} succeeded in {facts.DurationText}",
            "failure" => $"{subject} {(facts.Status == "cancelled" ? "was cancelled" : facts.Status == "timed_out" ? "timed out" : "failed")} after {facts.DurationText}"
                + (taskId is null && facts.FailedTask is { } failed ? $" in task {failed}" : "")
                + (facts.Error is { } error ? $": {error}" : ""),
            "alert" => $"Alert for {workflow}: {facts.Alert}",
            "resolved" => $"Resolved for {workflow}: {facts.Alert}",
            _ => $"Test notification for {workflow} from Pipeline: this channel works",
        };
    }
}
