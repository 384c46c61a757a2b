namespace Pipeline.Cli.Tests;

/// <summary>On GitHub Actions (GITHUB_ACTIONS=true): annotations, folded task output, the job summary and step outputs.</summary>
public sealed class GitHubActionsTests
{
    private static Dictionary<string, string> Actions(string dir) => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_WORKSPACE"] = dir,
        ["GITHUB_STEP_SUMMARY"] = Path.Combine(dir, "summary.md"),
        ["GITHUB_OUTPUT"] = Path.Combine(dir, "output.txt"),
    };

    [Fact]
    public void Validate_turns_each_diagnostic_into_an_annotation_at_its_span()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "cycle.workflow.json"), """
            { "name": "cycle", "tasks": [
              { "id": "a", "type": "shell", "command": "true", "depends_on": ["b"] },
              { "id": "b", "type": "shell", "command": "true", "depends_on": ["a"] } ] }
            """);
        var (code, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, Actions(dir), "validate", "cycle.workflow.json");
        Assert.Equal(2, code);
        Assert.Matches(@"::error file=cycle\.workflow\.json,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=WF2004::dependency cycle", stdout);
        Assert.Contains("cycle.workflow.json(", stdout); // the usual line is still there
    }

    [Fact]
    public void A_run_folds_each_tasks_output_annotates_the_failure_writes_the_job_summary_and_the_step_outputs()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "ship.workflow.json"), """
            { "name": "ship", "tasks": [
              { "id": "version", "type": "shell", "command": "echo computing; echo version=1.2.3 >> $WORKFLOW_OUTPUT" },
              { "id": "deploy", "type": "shell", "command": "echo deploying ${tasks.version.outputs.version}; echo boom >&2; exit 3", "depends_on": ["version"] } ] }
            """);
        var (code, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, Actions(dir), "run", "ship.workflow.json");
        Assert.Equal(1, code);
        Assert.Matches(@"::group::✓ version \(succeeded, [^)]+\)\ncomputing\n::endgroup::", stdout.Replace("\r", ""));
        Assert.Matches(@"::group::✗ deploy \(failed, [^)]+\)\ndeploying 1\.2\.3\n! boom\n::endgroup::", stdout.Replace("\r", ""));
        Assert.Contains("::error file=ship.workflow.json,line=3,title=task deploy failed::exited with code 3: boom", stdout);

        var summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("### ship ❌ failed in", summary);
        Assert.Matches(@"\| `version` \| ✅ succeeded \| 1 \| [^|]+ \|", summary);
        Assert.Matches(@"\| `deploy` \| ❌ failed \| 1 \| [^|]+ \|", summary);
        Assert.Contains("```mermaid", summary);
        Assert.Contains("n0 --> n1", summary);
        Assert.Equal("version-version=1.2.3", File.ReadAllText(Path.Combine(dir, "output.txt")).Trim());
    }
}
