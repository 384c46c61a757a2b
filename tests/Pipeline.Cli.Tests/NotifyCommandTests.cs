using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow run` sends its notifications (a failure never changes the exit code), `workflow status` shows them, `workflow notify test` tries a channel.</summary>
public sealed class NotifyCommandTests : IClassFixture<SmtpServer>, IAsyncLifetime
{
    private readonly SmtpServer _smtp;
    private readonly HttpStandIn _http = new();

    public NotifyCommandTests(SmtpServer smtp) => _smtp = smtp;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _http.DisposeAsync();

    private string Write(string dir, string command, string extra = "")
    {
        var path = Path.Combine(dir, "ship.workflow.json");
        File.WriteAllText(path, $$"""
            { "name": "ship", "secrets": ["API_TOKEN"],
              "tasks": [ { "id": "deploy", "type": "shell", "command": {{JsonSerializer.Serialize(command)}}, "env": { "TOKEN": "${secrets.API_TOKEN}" } } ],
              "notifications": { "channels": ["webhook", "email"], "on_failure": true, "retry_delay": 10 {{extra}},
                "webhook": { "url": "{{_http.Url}}/hook" },
                "email": { "smtp_host": "127.0.0.1", "smtp_port": {{_smtp.Port}}, "to": "ops@example.com" } } }
            """);
        return path;
    }

    private static Dictionary<string, string> Env => new() { ["API_TOKEN"] = "tok-canary-4711-abcdef" };

    [Fact]
    public void A_failed_run_notifies_its_channels_keeps_its_exit_code_and_status_lists_the_deliveries()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, "echo \"using $TOKEN\" >&2; exit 4");
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, Env, "run", wf);
        Assert.Equal(1, code);
        Assert.Contains("workflow: notified webhook (failure)", stderr);
        Assert.Contains("workflow: notified email (failure)", stderr);
        var body = Assert.Single(_http.To("/hook")).Body;
        Assert.Contains("using ***", body);
        var id = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0].GetProperty("id").GetString()!;
        Assert.DoesNotContain("tok-canary-4711-abcdef", body + _smtp.WaitFor(id).ToString());

        var status = WorkflowProcess.Run(dir, "status", id).Stdout;
        Assert.Matches(@"webhook\s+failure\s+delivered\s+1", status);
        Assert.Matches(@"email\s+failure\s+delivered\s+1", status);
    }

    [Fact]
    public void A_channel_that_keeps_failing_is_a_warning_not_a_failed_run()
    {
        _http.Answer("/hook", _ => 500);
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, "true", ", \"on_success\": true");
        var (code, _, stderr) = WorkflowProcess.RunWithEnvironment(dir, Env, "run", wf);
        Assert.Equal(0, code);
        Assert.Contains("workflow: warning: notification webhook (success) failed after 3 attempt(s): the webhook endpoint", stderr);
        Assert.Equal(3, _http.To("/hook").Count);
    }

    [Fact]
    public void Notify_test_sends_to_the_chosen_channel_and_says_how_it_went()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, "true");
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, Env, "notify", "test", wf, "--channel", "webhook");
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"^webhook: delivered in ", stdout);
        Assert.Contains("Test notification for ship", Assert.Single(_http.To("/hook")).Body);

        var none = WorkflowProcess.RunWithEnvironment(dir, Env, "notify", "test", wf, "--channel", "slack");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("ship has no slack channel (its channels: webhook, email)", none.Stderr);
    }
}
