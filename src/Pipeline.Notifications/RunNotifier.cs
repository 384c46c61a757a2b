using System.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.Notifications.Alerts;
using Pipeline.Notifications.Channels;
using Pipeline.Notifications.Delivery;
using Pipeline.Notifications.Messages;
using Pipeline.State;
using Polly.CircuitBreaker;

namespace Pipeline.Notifications;

/// <summary>
/// Sends a finished run's notifications: the workflow's (per <c>on_success</c>, <c>on_failure</c>,
/// <c>on_completion</c>), each task's own, and the alerts its rules raise. Deliveries go out in
/// parallel, each through a <see cref="DeliveryPolicy"/>, and every attempt is recorded in the
/// store. A failed notification never fails the run, and all of them together take at most the
/// policy's <see cref="DeliveryPolicy.Timeout"/>: what is not delivered by then is recorded as given up.
/// </summary>
public sealed class RunNotifier(NotifierOptions options)
{
    private readonly Dictionary<string, INotificationChannel> _channels = new INotificationChannel[]
    {
        new SlackChannel(), new WebhookChannel(), new EmailChannel(), new ConsoleChannel(options.Console),
    }.ToDictionary(c => c.Type, StringComparer.Ordinal);

    private readonly Lock _storeLock = new();

    /// <summary>True when the workflow has anything to send for some run (so a host can skip the work otherwise).</summary>
    public static bool HasAny(WorkflowDefinition workflow) =>
        workflow.Notifications is { Channels.Count: > 0 } || workflow.Tasks.Any(t => t.Notifications is { Channels.Count: > 0 });

    public async Task<IReadOnlyList<DeliveryOutcome>> NotifyAsync(RunScope scope, RunResult run, IStateStore? store, CancellationToken cancellationToken = default)
    {
        var workflow = scope.Workflow;
        var planned = new List<(NotificationChannel Channel, NotificationEvent Event, RunFacts Facts, string? Task)>();
        var settings = workflow.Notifications;
        var succeeded = run.Status == RunStatus.Succeeded;
        if (settings is not null && settings.Wants(succeeded))
        {
            var facts = RunFacts.Of(run, scope.Trigger, scope.Masker);
            planned.AddRange(settings.Channels.Select(c => (c, NotificationEvent.Run(succeeded), facts, (string?)null)));
        }
        foreach (var result in run.Tasks)
        {
            var task = workflow.Tasks.FirstOrDefault(t => t.Id.Value == result.TaskId);
            if (task?.Notifications is not { } own) continue;
            var ok = result.State == TaskState.Succeeded;
            if (!ok && !result.State.IsFailure()) continue;
            if (!own.Wants(ok)) continue;
            var facts = RunFacts.OfTask(run, result, scope.Trigger, scope.Masker);
            planned.AddRange(own.Channels.Select(c => (c, NotificationEvent.Task(result.InstanceId, ok), facts, (string?)result.InstanceId)));
        }
        if (settings?.Alerts is { } alerts && store is not null)
        {
            var now = options.Clock.GetUtcNow();
            IReadOnlyList<AlertTracker.Due> due;
            lock (_storeLock) due = AlertTracker.Track(store, workflow.Name.Value, alerts, AlertRules.Judge(alerts, workflow, run, store, now), now);
            var channels = alerts.Channels.Count == 0 ? settings.Channels : settings.Channels.Where(c => alerts.Channels.Any(a => a.Value == c.Type.Value)).ToList();
            foreach (var d in due)
            {
                var facts = RunFacts.Of(run, scope.Trigger, scope.Masker) with { Alert = d.Text };
                planned.AddRange(channels.Select(c => (c, d.Resolved ? NotificationEvent.Resolved(d.Rule) : NotificationEvent.Alert(d.Rule), facts, (string?)null)));
            }
        }
        if (planned.Count == 0) return [];

        var policy = PolicyFor(settings);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(policy.Timeout);
        var deliveries = planned.Select(p => DeliverAsync(scope, p.Channel, p.Event, p.Facts, p.Task, policy, store, run.ExecutionId, deadline.Token));
        return await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    /// <summary><c>workflow notify test</c>: a test message on each channel (or the one named), not recorded.</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> TestAsync(RunScope scope, string? channel, CancellationToken cancellationToken = default)
    {
        var settings = scope.Workflow.Notifications;
        var channels = (settings?.Channels ?? []).Where(c => channel is null || c.Type.Value == channel).ToList();
        var now = options.Clock.GetUtcNow();
        var facts = new RunFacts { ExecutionId = "test", Status = "test", StartedAt = now, FinishedAt = now, Trigger = "test" };
        var policy = PolicyFor(settings);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(policy.Timeout);
        return await Task.WhenAll(channels.Select(c => DeliverAsync(scope, c, NotificationEvent.Test, facts, null, policy, null, null, deadline.Token))).ConfigureAwait(false);
    }

    private DeliveryPolicy PolicyFor(NotificationSettings? settings) => options.Policy with
    {
        Attempts = settings?.Attempts?.Value ?? options.Policy.Attempts,
        FirstRetryDelay = settings?.RetryDelay is { } delay ? TimeSpan.FromMilliseconds(delay.Value) : options.Policy.FirstRetryDelay,
        Timeout = settings?.Timeout is { } timeout ? TimeSpan.FromSeconds(timeout.Value) : options.Policy.Timeout,
    };

    private async Task<DeliveryOutcome> DeliverAsync(RunScope scope, NotificationChannel channelRef, NotificationEvent e, RunFacts facts, string? taskId,
        DeliveryPolicy policy, IStateStore? store, string? executionId, CancellationToken deadline)
    {
        var type = channelRef.Type.Value;
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        void Record(string status, long? ms, string? error)
        {
            if (store is null || executionId is null) return;
            try
            {
                lock (_storeLock) store.NotificationAttempted(new NotificationAttempt(executionId, type, e.Name, status, DateTimeOffset.UtcNow, ms, error));
            }
            catch (StateStoreException) { } // the message matters more than its record
        }

        Message message;
        ChannelSettings settings;
        try
        {
            var link = Link(scope, facts, e);
            var context = scope.Context(facts, e, link);
            settings = Settings(scope, channelRef, context);
            var template = settings.Get($"templates.{e.TemplateKey}") ?? (e.Kind is "success" or "failure" ? settings.Get("templates.on_completion") : null);
            var text = template ?? DefaultTemplates.Text(e, scope.Workflow.Name.Value, facts, taskId);
            message = new Message
            {
                Event = e, Workflow = scope.Workflow.Name.Value, Version = scope.Workflow.Version?.Value, Facts = facts,
                Text = scope.Masker.Apply(text), Link = link,
            };
            if (settings.Get("subject") is { } subject) settings = With(settings, "subject", scope.Masker.Apply(subject));
        }
        catch (ExpressionException x)
        {
            var error = $"the {type} channel's settings or template cannot be rendered: {x.Message}";
            Record("failed", 0, error);
            return new DeliveryOutcome(type, e.Name, "failed", 0, clock.Elapsed, error);
        }

        if (!_channels.TryGetValue(type, out var channel))
            return new DeliveryOutcome(type, e.Name, "failed", 0, clock.Elapsed, $"unknown channel {type}");
        var pipeline = policy.For($"{type} {channel.Endpoint(settings)}");
        string? lastError = null;
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var attempt = Stopwatch.StartNew();
                try
                {
                    await channel.SendAsync(message, settings, token).ConfigureAwait(false);
                    Record("delivered", attempt.ElapsedMilliseconds, null);
                }
                catch (Exception x) when (x is DeliveryException or Polly.Timeout.TimeoutRejectedException || (x is OperationCanceledException && !deadline.IsCancellationRequested))
                {
                    lastError = x is DeliveryException ? x.Message : $"no answer within {Engine.Running.DurationText.Format(policy.AttemptTimeout)}";
                    Record("failed", attempt.ElapsedMilliseconds, lastError);
                    throw;
                }
            }, deadline).ConfigureAwait(false);
            return new DeliveryOutcome(type, e.Name, "delivered", attempts, clock.Elapsed, null);
        }
        catch (BrokenCircuitException)
        {
            var error = $"not sent: {channel.Endpoint(settings)} failed {policy.BreakAfter} times in a row, so the {type} channel rests for {Engine.Running.DurationText.Format(policy.BreakDuration)}";
            Record("skipped", 0, error);
            return new DeliveryOutcome(type, e.Name, "skipped", attempts, clock.Elapsed, error);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var error = $"gave up after {Engine.Running.DurationText.Format(policy.Timeout)} (notifications.timeout){(lastError is null ? "" : "; last error: " + lastError)}";
            Record("failed", 0, error);
            return new DeliveryOutcome(type, e.Name, "failed", attempts, clock.Elapsed, error);
        }
        catch (Exception x) when (x is DeliveryException or Polly.Timeout.TimeoutRejectedException)
        {
            return new DeliveryOutcome(type, e.Name, "failed", attempts, clock.Elapsed, lastError ?? x.Message);
        }
        catch (Exception x) when (x is not OutOfMemoryException)
        {
            // A channel's library failing in a way nobody foresaw: the run's outcome stands, the failure is told.
            var error = $"the {type} channel failed unexpectedly: {x.GetType().Name}: {x.Message}";
            Record("failed", 0, error);
            return new DeliveryOutcome(type, e.Name, "failed", attempts, clock.Elapsed, error);
        }
    }

    /// <summary>
    /// A channel's settings, rendered: its own (in the workflow, or for a task's channel the
    /// workflow's channel of that type), then the configuration file's, then the defaults.
    /// </summary>
    private ChannelSettings Settings(RunScope scope, NotificationChannel channel, ExpressionContext context)
    {
        var type = channel.Type.Value;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(IEnumerable<KeyValuePair<string, string>> more)
        {
            foreach (var (k, v) in more) values.TryAdd(k, v);
        }
        Add(channel.Settings.Select(s => new KeyValuePair<string, string>(s.Name.Value, s.Value.Value)));
        if (scope.Workflow.Notifications?.Channels.FirstOrDefault(c => c.Type.Value == type && !ReferenceEquals(c, channel)) is { } workflowLevel)
            Add(workflowLevel.Settings.Select(s => new KeyValuePair<string, string>(s.Name.Value, s.Value.Value)));
        if (options.Defaults.TryGetValue(type, out var defaults)) Add(defaults);
        if (type == "slack") values.TryAdd("webhook_url", SlackChannel.DefaultUrl);
        // Every setting (templates and the subject included) is rendered with this message's context.
        var rendered = values.ToDictionary(v => v.Key, v => RunScope.Render(v.Value, context), StringComparer.Ordinal);
        return new ChannelSettings(type, rendered);
    }

    private static ChannelSettings With(ChannelSettings s, string name, string value) =>
        new(s.Type, new Dictionary<string, string>(s.Values, StringComparer.Ordinal) { [name] = value });

    /// <summary>The run's link: the workflow's <c>link</c>, else the GitHub Actions run page when the run is on Actions.</summary>
    private static string? Link(RunScope scope, RunFacts facts, NotificationEvent e)
    {
        if (scope.Workflow.Notifications?.Link is { } link) return RunScope.Render(link.Value, scope.Context(facts, e, null));
        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repository = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        var run = Environment.GetEnvironmentVariable("GITHUB_RUN_ID");
        return string.IsNullOrEmpty(server) || string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(run) ? null : $"{server}/{repository}/actions/runs/{run}";
    }
}
