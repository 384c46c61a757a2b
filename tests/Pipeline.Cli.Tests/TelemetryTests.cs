namespace Pipeline.Cli.Tests;

/// <summary>OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, a run's trace (a span per attempt) and metrics reach a local OTLP/HTTP endpoint.</summary>
public sealed class TelemetryTests
{
    private const string Workflow = """
        { "name": "traced", "tasks": [
          { "id": "build", "type": "shell", "command": "echo \"$TRACEPARENT\" > traceparent" },
          { "id": "flaky", "type": "shell", "command": "test -f tried || { touch tried; exit 3; }", "depends_on": ["build"],
            "retry": { "attempts": 2, "delay": 10 } }
        ] }
        """;

    private static Dictionary<string, string> Otel(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = "ci-runner",
    };

    [Fact]
    public void A_run_exports_a_trace_with_a_span_per_attempt_and_its_metrics()
    {
        using var receiver = new OtlpReceiver();
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "traced.workflow.json"), Workflow);
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, Otel(receiver), "run", "traced");
        Assert.True(code == 0, stdout + stderr);

        // The process flushes before it exits; the listener may still be handing the request over.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (receiver.Spans().Count < 4 || !receiver.Requests.Any(r => r.Path == "/v1/metrics"))) Thread.Sleep(50);
        var spans = receiver.Spans();
        var run = Assert.Single(spans, s => s.Name == "workflow.run traced");
        Assert.Equal("traced", run.Attributes["pipeline.workflow"]);
        Assert.Equal("succeeded", run.Attributes["pipeline.status"]);
        Assert.Equal(1, run.Status);
        var attempts = spans.Where(s => s.Name.StartsWith("task.attempt ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal(run.TraceId, a.TraceId);
            Assert.Equal(run.SpanId, a.ParentId);
            Assert.Equal("shell", a.Attributes["pipeline.task.type"]);
            Assert.Equal(run.Attributes["pipeline.execution.id"], a.Attributes["pipeline.execution.id"]);
        });
        var flaky = attempts.Where(a => a.Attributes["pipeline.task"] == "flaky").OrderBy(a => a.Attributes["pipeline.task.attempt"]).ToList();
        Assert.Equal(["1", "2"], flaky.Select(a => a.Attributes["pipeline.task.attempt"]));
        Assert.Equal("3", flaky[0].Attributes["process.exit.code"]);
        Assert.Equal("failed", flaky[0].Attributes["pipeline.status"]);
        Assert.Equal(2, flaky[0].Status);
        Assert.Equal("0", flaky[1].Attributes["process.exit.code"]);
        Assert.Equal("succeeded", flaky[1].Attributes["pipeline.status"]);

        // The task's processes get the attempt's W3C trace context.
        var build = attempts.Single(a => a.Attributes["pipeline.task"] == "build");
        Assert.StartsWith($"00-{run.TraceId}-{build.SpanId}-", File.ReadAllText(Path.Combine(dir, "traceparent")).Trim()); // then the flags (sampled)

        var metrics = receiver.Requests.Where(r => r.Path == "/v1/metrics").Select(r => System.Text.Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.Contains(metrics, m => m.Contains("pipeline.runs") && m.Contains("pipeline.task.duration") && m.Contains("pipeline.task.failures"));
        // The resource names the service as OTEL_SERVICE_NAME says.
        Assert.Contains("ci-runner", System.Text.Encoding.UTF8.GetString(receiver.Requests.First(r => r.Path == "/v1/traces").Body));
    }

    [Fact]
    public void Off_by_default_and_when_OTEL_SDK_DISABLED()
    {
        using var receiver = new OtlpReceiver();
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "traced.workflow.json"), Workflow);
        var disabled = Otel(receiver);
        disabled["OTEL_SDK_DISABLED"] = "true";
        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, disabled, "run", "traced").ExitCode);
        Assert.Empty(receiver.Requests);
        // Without an endpoint no span is made: the task sees no trace context.
        Assert.Equal("", File.ReadAllText(Path.Combine(dir, "traceparent")).Trim());
    }
}
