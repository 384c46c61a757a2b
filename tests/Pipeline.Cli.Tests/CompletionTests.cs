using System.Diagnostics;

namespace Pipeline.Cli.Tests;

/// <summary>Shell completion: the bash script from `workflow completion bash`, run by a real bash, completes workflow names, task ids and execution ids.</summary>
public sealed class CompletionTests
{
    /// <summary>Runs bash with `workflow` on PATH (a wrapper of the built tool) and the completion script loaded; returns what it offers for the line.</summary>
    private static List<string> Complete(string dir, string line)
    {
        var bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        var wrapper = Path.Combine(bin, "workflow");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec \"{WorkflowProcess.Host}\" \"{WorkflowProcess.Dll}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        var script = Path.Combine(dir, "completion.bash");
        File.WriteAllText(script, WorkflowProcess.Run(dir, "completion", "bash").Stdout);
        var words = line.Split(' ');
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.ArgumentList.Add("-c");
        var assign = $"COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({string.Join(" ", words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}";
        psi.ArgumentList.Add($"source '{script}'\n{assign}\n_workflow_complete\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n");
        using var bash = Process.Start(psi)!;
        var output = bash.StandardOutput.ReadToEnd();
        Assert.True(bash.WaitForExit(120_000));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [Fact]
    public void Bash_completes_commands_workflow_names_task_ids_and_execution_ids()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        File.WriteAllText(Path.Combine(dir, "workflows", "deploy.workflow.json"), """
            { "name": "deploy-api", "tasks": [ { "id": "build", "type": "shell", "command": "true" }, { "id": "ship", "type": "shell", "command": "true", "depends_on": ["build"] } ] }
            """);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "deploy-api", "--quiet").ExitCode);
        var id = System.Text.Json.JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0].GetProperty("id").GetString()!;

        Assert.Contains("doctor", Complete(dir, "workflow do"));
        Assert.Equal(["deploy-api"], Complete(dir, "workflow run dep"));
        Assert.Equal(["build", "ship"], Complete(dir, "workflow run deploy-api ").Where(c => !c.StartsWith('-')).Order());
        Assert.Equal([id], Complete(dir, $"workflow status {id[..8]}"));
    }
}
