namespace Pipeline.State.Tests;

public sealed class HealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskSample S(string task, int i, string status, double seconds, int attempts = 1, string? error = null) =>
        new("deploy", task, $"e{i}", status, Start.AddHours(i), TimeSpan.FromSeconds(seconds), attempts, error);

    [Fact]
    public void Metrics_count_runs_rates_and_percentiles_per_task()
    {
        var samples = Enumerable.Range(1, 20).Select(i => S("build", i, i % 5 == 0 ? "failed" : "succeeded", i, error: i % 5 == 0 ? $"boom {i}" : null)).ToList();
        var m = Assert.Single(HealthReport.Metrics(samples));
        Assert.Equal((20, 16, 4), (m.Runs, m.Successes, m.Failures));
        Assert.Equal(0.8, m.SuccessRate, 3);
        Assert.Equal(TimeSpan.FromSeconds(10.5), m.Average);
        Assert.Equal(TimeSpan.FromSeconds(10), m.P50);
        Assert.Equal(TimeSpan.FromSeconds(19), m.P95);
        Assert.Equal(Start.AddHours(20), m.LastRun);
        Assert.Equal(Start.AddHours(20), m.LastFailure);
        Assert.Equal("boom 20", m.LastError);
    }

    [Fact]
    public void Findings_name_failing_flaky_timing_out_and_slower_tasks_with_advice()
    {
        var samples = new List<TaskSample>();
        for (var i = 0; i < 10; i++) samples.Add(S("migrate", i, i < 4 ? "failed" : "succeeded", 1, error: "connection refused"));
        for (var i = 0; i < 10; i++) samples.Add(S("e2e", i, "succeeded", 1, attempts: i % 3 == 0 ? 2 : 1));
        for (var i = 0; i < 10; i++) samples.Add(S("package", i, i < 5 ? "timed_out" : "succeeded", 60));
        for (var i = 0; i < 10; i++) samples.Add(S("compile", i, "succeeded", i < 5 ? 10 : 30));
        for (var i = 0; i < 10; i++) samples.Add(S("lint", i, "succeeded", 5));

        var findings = HealthReport.Findings(HealthReport.Metrics(samples));
        var failing = findings.Single(f => f.Kind == "failing" && f.TaskId == "migrate");
        Assert.Contains("fails 40% of its runs (4 of 10)", failing.Finding);
        Assert.Contains("connection refused", failing.Recommendation);
        var timeouts = findings.Single(f => f.Kind == "failing" && f.TaskId == "package");
        Assert.Contains("raise its timeout", timeouts.Recommendation);
        Assert.Contains("succeeded only after a retry in 4 of 10 runs", findings.Single(f => f.Kind == "flaky").Finding);
        var slower = findings.Single(f => f.Kind == "slower");
        Assert.Equal("compile", slower.TaskId);
        Assert.Contains("from 10.0s to 30.0s (3.0x)", slower.Finding);
        Assert.DoesNotContain(findings, f => f.TaskId == "lint");
    }

    [Fact]
    public void Too_few_runs_are_not_judged()
    {
        var findings = HealthReport.Findings(HealthReport.Metrics([S("new", 1, "failed", 1), S("new", 2, "failed", 1)]));
        Assert.Empty(findings);
    }
}
