using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.Notifications;
using Pipeline.Notifications.Messages;
using Pipeline.State;

namespace Pipeline.Cli.Running;

/// <summary>
/// After a run: its notifications and alerts (see <see cref="RunNotifier"/>), with the channel
/// settings of <c>.workflow-config.json</c>. A delivery that fails is a warning: it never changes the
/// run's exit code, and all of them together take at most the workflow's notifications.timeout.
/// </summary>
internal static class RunNotifications
{
    public static async Task SendAsync(WorkflowDefinition definition, RunResult result, RunScope scope, IStateStore? store, FileInfo? configFile,
        bool quiet, TextWriter error, CancellationToken cancellationToken)
    {
        if (!RunNotifier.HasAny(definition)) return;
        var notifier = new RunNotifier(Options(configFile, error));
        IReadOnlyList<DeliveryOutcome> outcomes;
        try { outcomes = await notifier.NotifyAsync(scope, result, store, cancellationToken); }
        catch (StateStoreException e)
        {
            error.WriteLine($"workflow: warning: alerts were not judged: the state store failed: {e.Message}");
            return;
        }
        Report(outcomes, quiet, error);
    }

    public static NotifierOptions Options(FileInfo? configFile, TextWriter console) =>
        new() { Defaults = CliConfig.Load(configFile, []).NotificationDefaults, Console = console };

    public static void Report(IReadOnlyList<DeliveryOutcome> outcomes, bool quiet, TextWriter error)
    {
        foreach (var o in outcomes)
        {
            if (!o.Delivered)
                error.WriteLine($"workflow: warning: notification {o.Channel} ({o.Event}) {(o.Status == "skipped" ? "skipped" : $"failed after {o.Attempts} attempt(s)")}: {o.Error}");
            else if (!quiet && o.Channel != "console")
                error.WriteLine($"workflow: notified {o.Channel} ({o.Event})");
        }
    }
}
