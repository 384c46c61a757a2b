namespace Pipeline.Notifications.Messages;

/// <summary>
/// What a message is about. <see cref="Name"/> is how deliveries are recorded (<c>failure</c>,
/// <c>task:build:failure</c>, <c>alert:failure_rate</c>, …); <see cref="TemplateKey"/> picks the
/// user's template (<c>templates.on_failure</c>, …).
/// </summary>
public sealed record NotificationEvent(string Name, string TemplateKey, string Kind)
{
    public static NotificationEvent Run(bool succeeded) => succeeded ? new("success", "on_success", "success") : new("failure", "on_failure", "failure");

    public static NotificationEvent Task(string taskId, bool succeeded) =>
        new($"task:{taskId}:{(succeeded ? "success" : "failure")}", succeeded ? "on_success" : "on_failure", succeeded ? "success" : "failure");

    public static NotificationEvent Alert(string rule) => new($"alert:{rule}", "on_alert", "alert");

    public static NotificationEvent Resolved(string rule) => new($"resolved:{rule}", "on_resolved", "resolved");

    public static readonly NotificationEvent Test = new("test", "on_test", "test");

    public bool IsFailure => Kind is "failure" or "alert";
}
