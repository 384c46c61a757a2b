using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using Pipeline.Engine.Running;
using Pipeline.Notifications.Delivery;
using Pipeline.Notifications.Messages;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Notifications.Tests;

/// <summary>Run notifications on Slack, email and webhooks: content, masking, signatures, retries, timeouts and the record of every attempt.</summary>
public sealed class NotificationTests : IClassFixture<SmtpServer>, IAsyncLifetime
{
    private const string Canary = "canary-Xy7-secret-value";
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly SmtpServer _smtp;
    private readonly HttpStandIn _http = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-notify-").FullName;
    private readonly SqliteStateStore _store;

    public NotificationTests(SmtpServer smtp)
    {
        _smtp = smtp;
        _store = SqliteStateStore.Open(Path.Combine(_folder, "state.db"));
        DeliveryPolicy.ResetBreakers();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _http.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    internal static WorkflowDefinition Load(string folder, string json)
    {
        var path = Path.Combine(folder, "deploy.workflow.json");
        File.WriteAllText(path, json);
        var read = WorkflowLoader.Load(path);
        var errors = WorkflowValidator.Validate(read).Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.ToCanonicalString())));
        return read.Workflow!;
    }

    private static RunResult Run(string id, RunStatus status, TimeSpan? took = null) => new()
    {
        ExecutionId = id,
        Workflow = "deploy",
        File = "deploy.workflow.json",
        Status = status,
        StartedAt = T0,
        FinishedAt = T0 + (took ?? TimeSpan.FromSeconds(65)),
        CriticalPathTaken = [],
        Error = status == RunStatus.Succeeded ? null : $"task 'migrate' failed: exited with code 3: password {Canary} rejected",
        Tasks = status == RunStatus.Succeeded
            ? [new TaskResult { InstanceId = "migrate", TaskId = "migrate", TaskType = "shell", State = TaskState.Succeeded, StartedAt = T0, FinishedAt = T0.AddSeconds(5) }]
            :
            [
                new TaskResult { InstanceId = "build", TaskId = "build", TaskType = "shell", State = TaskState.Succeeded, StartedAt = T0, FinishedAt = T0.AddSeconds(5) },
                new TaskResult
                {
                    InstanceId = "migrate", TaskId = "migrate", TaskType = "shell", State = TaskState.Failed, StartedAt = T0.AddSeconds(5), FinishedAt = T0.AddSeconds(65),
                    Error = $"exited with code 3: password {Canary} rejected", Stderr = $"connecting to db\npassword {Canary} rejected\n",
                },
            ],
    };

    private RunScope Scope(WorkflowDefinition workflow) => new()
    {
        Workflow = workflow,
        Secrets = new Dictionary<string, string> { ["DB_PASSWORD"] = Canary, ["HOOK_SECRET"] = "It's a Secret to Everybody" },
    };

    private void Started(string id) => _store.ExecutionStarted(new ExecutionRecord { Id = id, Workflow = "deploy", Status = "running", StartedAt = T0 });

    private RunNotifier Notifier(DeliveryPolicy? policy = null) =>
        new(new NotifierOptions { Policy = policy ?? new DeliveryPolicy { FirstRetryDelay = TimeSpan.FromMilliseconds(20) }, Console = TextWriter.Null });

    private string AllChannels(string events = "\"on_failure\": true") => $$"""
        { "name": "deploy", "secrets": ["DB_PASSWORD", "HOOK_SECRET"],
          "tasks": [ { "id": "build", "type": "shell", "command": "true" }, { "id": "migrate", "type": "shell", "command": "true", "depends_on": ["build"] } ],
          "notifications": {
            "channels": ["slack", "email", "webhook"], {{events}},
            "link": "https://ci.example.com/runs/${execution.id}",
            "slack": { "webhook_url": "{{_http.Url}}/slack", "channel": "#deploys" },
            "email": { "smtp_host": "127.0.0.1", "smtp_port": {{_smtp.Port}}, "from": "ci@example.com", "to": ["ops@example.com", "dev@example.com"] },
            "webhook": { "url": "{{_http.Url}}/hook", "secret": "${secrets.HOOK_SECRET}", "headers": { "X-Team": "platform" } } } }
        """;

    [Fact]
    public async Task A_failed_run_reaches_slack_email_and_a_signed_webhook_with_its_facts_and_never_a_secret()
    {
        var workflow = Load(_folder, AllChannels());
        Started("r-fail");
        var outcomes = await Notifier().NotifyAsync(Scope(workflow), Run("r-fail", RunStatus.Failed), _store);
        Assert.All(outcomes, o => Assert.True(o.Delivered, $"{o.Channel}: {o.Error}"));
        Assert.Equal(["email", "slack", "webhook"], outcomes.Select(o => o.Channel).Order());

        var slack = Assert.Single(_http.To("/slack"));
        using var blocks = JsonDocument.Parse(slack.Body);
        Assert.Equal("#deploys", blocks.RootElement.GetProperty("channel").GetString());
        Assert.Equal("deploy failed", blocks.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("deploy failed after 1m05s in task migrate: task 'migrate' failed: exited with code 3: password *** rejected", blocks.RootElement.GetProperty("text").GetString());
        Assert.Contains("*Failed task*\\nmigrate", slack.Body);
        Assert.Contains("workflow status r-fail", slack.Body);
        Assert.True(slack.Body.Contains("https://ci.example.com/runs/r-fail"), slack.Body);

        var hook = Assert.Single(_http.To("/hook"));
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("It's a Secret to Everybody"), Encoding.UTF8.GetBytes(hook.Body))).ToLowerInvariant();
        Assert.Equal(expected, hook.Headers["X-Pipeline-Signature-256"]);
        Assert.Equal("failure", hook.Headers["X-Pipeline-Event"]);
        Assert.Equal("platform", hook.Headers["X-Team"]);
        using var payload = JsonDocument.Parse(hook.Body);
        Assert.Equal(("deploy", "failed", "migrate", 65.0), (payload.RootElement.GetProperty("workflow").GetString(), payload.RootElement.GetProperty("status").GetString(),
            payload.RootElement.GetProperty("failed_task").GetString(), payload.RootElement.GetProperty("duration_seconds").GetDouble()));
        Assert.Equal("connecting to db\npassword *** rejected", payload.RootElement.GetProperty("log").GetString());

        var mail = _smtp.WaitFor("r-fail");
        Assert.Equal(["ops@example.com", "dev@example.com"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.StartsWith("[pipeline] deploy failed after 1m05s in task migrate", mail.Subject);
        Assert.Contains("Failed task: migrate", mail.TextBody);
        Assert.Contains("  | password *** rejected", mail.TextBody);
        Assert.Contains("Next: workflow status r-fail", mail.TextBody);

        foreach (var text in new[] { slack.Body, hook.Body, mail.ToString() }) Assert.DoesNotContain(Canary, text);
        var recorded = _store.Find("r-fail")!.Deliveries;
        Assert.Equal(["email", "slack", "webhook"], recorded.Select(d => d.Channel).Order());
        Assert.All(recorded, d => Assert.Equal(("failure", "delivered", 1), (d.Event, d.Status, d.Attempts)));
    }

    [Fact]
    public async Task A_success_is_sent_only_when_asked_and_a_users_template_replaces_the_summary()
    {
        var workflow = Load(_folder, AllChannels("\"on_failure\": true").Replace("\"channel\": \"#deploys\"",
            "\"channel\": \"#deploys\", \"templates\": { \"on_success\": \"${workflow.name} is live (${execution.duration}, ${execution.tasks_total} tasks)\" }"));
        Started("r-ok");
        Assert.Empty(await Notifier().NotifyAsync(Scope(workflow), Run("r-ok", RunStatus.Succeeded), _store));

        var both = Load(_folder, AllChannels("\"on_completion\": true").Replace("\"channel\": \"#deploys\"",
            "\"channel\": \"#deploys\", \"templates\": { \"on_success\": \"${workflow.name} is live (${execution.duration}, ${execution.tasks_total} tasks)\" }"));
        var outcomes = await Notifier().NotifyAsync(Scope(both), Run("r-ok", RunStatus.Succeeded), _store);
        Assert.Equal(3, outcomes.Count(o => o.Delivered));
        Assert.Contains("deploy is live (1m05s, 1 tasks)", Assert.Single(_http.To("/slack")).Body);
        Assert.Contains("[pipeline] deploy succeeded in 1m05s", _smtp.WaitFor("r-ok").Subject);
    }

    [Fact]
    public async Task A_slack_endpoint_answering_500_is_retried_then_recorded_as_failed_and_a_flaky_one_succeeds_on_retry()
    {
        _http.Answer("/slack", _ => 500);
        _http.Answer("/hook", n => n < 2 ? 503 : 200);
        var workflow = Load(_folder, AllChannels().Replace("\"slack\", \"email\", \"webhook\"", "\"slack\", \"webhook\""));
        Started("r-retry");
        var outcomes = await Notifier().NotifyAsync(Scope(workflow), Run("r-retry", RunStatus.Failed), _store);

        var slack = outcomes.Single(o => o.Channel == "slack");
        Assert.Equal(("failed", 3), (slack.Status, slack.Attempts));
        Assert.Equal($"the slack endpoint {_http.Url} answered 500 Internal Server Error: stand-in says no", slack.Error);
        Assert.Equal(3, _http.To("/slack").Count);
        var hook = outcomes.Single(o => o.Channel == "webhook");
        Assert.Equal(("delivered", 2), (hook.Status, hook.Attempts));
        Assert.Single(_http.To("/hook").Select(r => r.Headers["X-Pipeline-Delivery"]).Distinct()); // one delivery id on every attempt

        var attempts = _store.Find("r-retry")!.NotificationAttempts;
        Assert.Equal(["failed", "failed", "failed"], attempts.Where(a => a.Channel == "slack").Select(a => a.Status));
        Assert.Equal(["failed", "delivered"], attempts.Where(a => a.Channel == "webhook").OrderBy(a => a.Number).Select(a => a.Status));
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_an_unreachable_smtp_server_is_named_without_its_password()
    {
        _http.Answer("/slack", _ => 404);
        var port = SmtpServer.FreePort();
        var workflow = Load(_folder, AllChannels().Replace("\"slack\", \"email\", \"webhook\"", "\"slack\", \"email\"")
            .Replace($"\"smtp_port\": {_smtp.Port},", $"\"smtp_port\": {port}, \"username\": \"ci\", \"password\": \"${{secrets.DB_PASSWORD}}\","));
        Started("r-bad");
        var outcomes = await Notifier().NotifyAsync(Scope(workflow), Run("r-bad", RunStatus.Failed), _store);
        Assert.Equal(1, outcomes.Single(o => o.Channel == "slack").Attempts);
        var email = outcomes.Single(o => o.Channel == "email");
        Assert.Equal(("failed", 3), (email.Status, email.Attempts));
        Assert.Equal($"cannot reach the SMTP server 127.0.0.1:{port}: connection refused", email.Error);
        Assert.DoesNotContain(Canary, string.Join("\n", _store.Find("r-bad")!.NotificationAttempts.Select(a => a.Error)));
    }

    [Fact]
    public async Task Email_security_and_logins_the_server_cannot_do_are_clear_errors_not_retried()
    {
        var before = _smtp.Count;
        foreach (var (extra, expected) in new[]
        {
            ("\"security\": \"starttls\",", "set security to auto"),
            ("\"username\": \"ci\", \"password\": \"${secrets.DB_PASSWORD}\",", "remove username and password"),
        })
        {
            var workflow = Load(_folder, AllChannels().Replace("\"slack\", \"email\", \"webhook\"", "\"email\"").Replace($"\"smtp_port\": {_smtp.Port},", $"\"smtp_port\": {_smtp.Port}, {extra}"));
            var id = "r-tls-" + expected.Length;
            Started(id);
            var email = Assert.Single(await Notifier().NotifyAsync(Scope(workflow), Run(id, RunStatus.Failed), _store));
            Assert.Equal(("failed", 1), (email.Status, email.Attempts));
            Assert.StartsWith($"the SMTP server 127.0.0.1:{_smtp.Port} cannot do what the email channel asks: ", email.Error);
            Assert.Contains(expected, email.Error);
            Assert.DoesNotContain(Canary, email.Error);
        }
        Assert.Equal(before, _smtp.Count);
    }

    [Fact]
    public async Task A_hanging_endpoint_never_holds_the_run_longer_than_the_delivery_timeout()
    {
        _http.Delay("/hook", TimeSpan.FromMinutes(5));
        var workflow = Load(_folder, AllChannels("\"on_failure\": true, \"timeout\": 2").Replace("\"slack\", \"email\", \"webhook\"", "\"webhook\""));
        Started("r-slow");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = Assert.Single(await Notifier(new DeliveryPolicy { AttemptTimeout = TimeSpan.FromMinutes(1) }).NotifyAsync(Scope(workflow), Run("r-slow", RunStatus.Failed), _store));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal("failed", outcome.Status);
        Assert.StartsWith("gave up after 2.0s (notifications.timeout)", outcome.Error);
        Assert.Contains(_store.Find("r-slow")!.NotificationAttempts, a => a.Error!.StartsWith("gave up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_opens_its_circuit_and_later_deliveries_are_skipped()
    {
        _http.Answer("/hook", _ => 500);
        var workflow = Load(_folder, AllChannels("\"on_failure\": true, \"attempts\": 5").Replace("\"slack\", \"email\", \"webhook\"", "\"webhook\""));
        Started("r-1");
        Started("r-2");
        var policy = new DeliveryPolicy { FirstRetryDelay = TimeSpan.FromMilliseconds(10), BreakAfter = 5, BreakDuration = TimeSpan.FromMinutes(5) };
        Assert.Equal("failed", Assert.Single(await Notifier(policy).NotifyAsync(Scope(workflow), Run("r-1", RunStatus.Failed), _store)).Status);
        var second = Assert.Single(await Notifier(policy).NotifyAsync(Scope(workflow), Run("r-2", RunStatus.Failed), _store));
        Assert.Equal("skipped", second.Status);
        Assert.Contains("rests for 5m00s", second.Error);
        Assert.Equal(5, _http.To("/hook").Count);
    }

    [Fact]
    public async Task A_tasks_own_notification_uses_the_workflows_channel_settings()
    {
        var workflow = Load(_folder, AllChannels().Replace("\"depends_on\": [\"build\"] }", "\"depends_on\": [\"build\"], \"notifications\": { \"channels\": [\"webhook\"], \"on_failure\": true } }")
            .Replace("\"channels\": [\"slack\", \"email\", \"webhook\"], \"on_failure\": true", "\"channels\": [\"webhook\"], \"on_success\": true"));
        Started("r-task");
        var outcome = Assert.Single(await Notifier().NotifyAsync(Scope(workflow), Run("r-task", RunStatus.Failed), _store));
        Assert.Equal(("webhook", "task:migrate:failure", "delivered"), (outcome.Channel, outcome.Event, outcome.Status));
        using var payload = JsonDocument.Parse(Assert.Single(_http.To("/hook")).Body);
        Assert.Equal("Task migrate of deploy failed after 1m00s: exited with code 3: password *** rejected", payload.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_test_message_goes_to_the_chosen_channel_only()
    {
        var workflow = Load(_folder, AllChannels());
        var outcomes = await Notifier().TestAsync(Scope(workflow), "webhook");
        Assert.Equal(("webhook", "test", "delivered"), (Assert.Single(outcomes).Channel, outcomes[0].Event, outcomes[0].Status));
        Assert.Contains("Test notification for deploy from Pipeline", Assert.Single(_http.To("/hook")).Body);
        Assert.Empty(_http.To("/slack"));
    }
}
