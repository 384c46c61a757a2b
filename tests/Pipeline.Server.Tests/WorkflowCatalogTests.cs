using Pipeline.Server.Hosting;

namespace Pipeline.Server.Tests;

/// <summary>What `workflow serve` loads: bad schedules are refused at their position, good ones and the other triggers are served.</summary>
public sealed class WorkflowCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (WorkflowCatalog Catalog, List<string> Problems) Load(string name, string json)
    {
        File.WriteAllText(Path.Combine(_dir, name), json);
        var problems = new List<string>();
        return (WorkflowCatalog.Load(_dir, problems.Add), problems);
    }

    [Fact]
    public void A_malformed_cron_is_refused_at_its_position_and_the_workflow_left_out()
    {
        var (catalog, problems) = Load("bad.workflow.json", """
            { "name": "bad",
              "trigger": { "type": "schedule", "config": { "schedule": "61 * * * *" } },
              "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }
            """);
        Assert.Contains(problems, p => p.StartsWith(Path.Combine(_dir, "bad.workflow.json") + "(2,", StringComparison.Ordinal) && p.Contains("error WF1023"));
        Assert.Empty(catalog.Workflows);
        Assert.Empty(catalog.Schedules);
    }

    [Fact]
    public void A_cron_Quartz_cannot_run_as_written_is_refused_with_the_reason_and_the_rest_is_served()
    {
        var (catalog, problems) = Load("both.workflow.json", """
            { "name": "both",
              "triggers": [
                { "type": "schedule", "config": { "schedule": "0 9 1 * 1" } },
                { "type": "schedule", "config": { "schedule": "0 9 * * 1", "timezone": "Europe/Paris" } },
                { "type": "webhook", "config": { "path": "/hooks/both" } } ],
              "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }
            """);
        var refusal = Assert.Single(problems, p => p.Contains("error WF1023"));
        Assert.StartsWith(Path.Combine(_dir, "both.workflow.json") + "(3,", refusal);
        Assert.Contains("day of the month", refusal);
        var served = Assert.Single(catalog.Schedules);
        Assert.Equal(("both", 1, "0 9 * * 1", "Europe/Paris"), (served.Workflow, served.TriggerIndex, served.Cron, served.TimeZone.Id));
        Assert.True(catalog.Routes.ContainsKey("hooks/both") || catalog.Routes.ContainsKey("both"));
    }
}
