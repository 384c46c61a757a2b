namespace Pipeline.Generators.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public void A_workflow_with_outputs_environment_and_callbacks()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.File("workflows/release.workflow.json", """
            {
              "name": "release",
              "description": "Build & publish",
              "environment": { "API_URL": "https://api.example.com", "node-env": "production" },
              "tasks": [
                { "id": "pre-build", "type": "shell", "command": "make prep" },
                { "id": "build", "name": "Build it", "type": "shell", "command": "echo version=1.2 >> $WORKFLOW_OUTPUT",
                  "depends_on": ["pre-build"], "outputs": { "version": "the version built" }, "on_failure": ["notify"], "timeout": 60 },
                { "id": "notify", "type": "http", "url": "${env.API_URL}/notify", "method": "POST", "body": { "v": "${tasks.build.outputs.version}" } }
              ]
            }
            """));
        Assert.Empty(result.CompileErrors);
        Snapshots.Match("release.workflow.json.g", Assert.Single(result.Sources).Value);
    }

    [Fact]
    public void A_taskfile()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.File("Taskfile.yml", """
            version: '3'
            tasks:
              build:
                desc: Build the app
                cmds: ['go build ./...']
              docs:serve:
                desc: Serve the docs
                deps: [build]
                cmds: ['mkdocs serve']
            """));
        Assert.Empty(result.CompileErrors);
        Snapshots.Match("Taskfile.yml.g", Assert.Single(result.Sources).Value);
    }

    [Fact]
    public void A_taskfile_the_project_names()
    {
        var file = GeneratorHarness.File("tools/Taskfile.yml", "version: '3'\ntasks:\n  build:\n    cmds: [make]\n");
        file.Metadata["PipelineName"] = "repo-tasks";
        var result = GeneratorHarness.RunWith(["namespace Acme.Build { public static class Uses { public static object Build => Workflows.RepoTasks.Build; } }"], file);
        Assert.Empty(result.CompileErrors);
        var source = Assert.Single(result.Sources).Value;
        Assert.Contains("public static partial class RepoTasks", source);
        Assert.Contains("public const string Name = \"repo-tasks\";", source);
    }
}
