using System.Diagnostics;

namespace Pipeline.Cli.Tests;

/// <summary>Interactive mode: on a terminal, a missing workflow is asked for; without one, the command says which there are.</summary>
public sealed class PromptTests
{
    [Fact]
    public void On_a_terminal_run_without_a_workflow_asks_which_and_runs_the_choice()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        foreach (var name in new[] { "alpha", "beta" })
            File.WriteAllText(Path.Combine(dir, "workflows", name + ".workflow.json"), $$"""{ "name": "{{name}}", "tasks": [ { "id": "a", "type": "shell", "command": "touch ran-{{name}}" } ] }""");

        var (code, _, stderr) = WorkflowProcess.Run(dir, "run");
        Assert.Equal(2, code); // no terminal: nothing waits for input
        Assert.Contains("several workflows here; name one: alpha, beta", stderr);

        using var terminal = new PseudoTerminal(dir, "run --quiet");
        terminal.Answer("Which workflow?", PseudoTerminal.Down + "\r"); // down to beta, Enter
        terminal.WaitForExit();
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "ran-beta")), terminal.Screen);
        Assert.False(File.Exists(Path.Combine(dir, "workflows", "ran-alpha")));
    }

    [Fact]
    public void On_a_terminal_generate_without_a_template_asks_which_and_without_one_lists_them()
    {
        var dir = WorkflowProcess.TempDir();
        var (code, _, stderr) = WorkflowProcess.Run(dir, "generate");
        Assert.Equal(2, code);
        Assert.Contains("name a template with --template (workflow generate --list describes them); one of: backup, ci, deploy, etl, webhook-handler", stderr);

        using var terminal = new PseudoTerminal(dir, "generate");
        terminal.Expect("Which template?");
        terminal.Expect("deploy          Build, test and deploy"); // each choice with its description
        terminal.Type(PseudoTerminal.Down + PseudoTerminal.Down + "\r"); // backup, ci, deploy
        Assert.Equal(0, terminal.WaitForExit());
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "deploy.workflow.json")), terminal.Screen);
    }

    [Fact]
    public void On_a_terminal_delete_without_a_workflow_asks_which_then_confirms()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        foreach (var name in new[] { "alpha", "beta" })
            File.WriteAllText(Path.Combine(dir, "workflows", name + ".workflow.json"), $$"""{ "name": "{{name}}", "tasks": [ { "id": "a", "type": "shell", "command": "true" } ] }""");
        var (code, _, stderr) = WorkflowProcess.Run(dir, "delete", "--yes");
        Assert.Equal(2, code);
        Assert.Contains("several workflows here; name one: alpha, beta", stderr);

        using var terminal = new PseudoTerminal(dir, "rm");
        terminal.Answer("Which workflow?", PseudoTerminal.Down + "\r");
        terminal.Answer("Delete beta", "y\r");
        Assert.Equal(0, terminal.WaitForExit());
        Assert.False(File.Exists(Path.Combine(dir, "workflows", "beta.workflow.json")), terminal.Screen);
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "alpha.workflow.json")));
    }

    [Fact]
    public void On_a_terminal_completion_without_a_shell_asks_which()
    {
        var dir = WorkflowProcess.TempDir();
        Assert.Equal(2, WorkflowProcess.Run(dir, "completion").ExitCode);
        using var terminal = new PseudoTerminal(dir, "completion");
        terminal.Answer("Which shell?", PseudoTerminal.Down + "\r"); // zsh
        terminal.Expect("compdef");
        Assert.Equal(0, terminal.WaitForExit());
    }
}
