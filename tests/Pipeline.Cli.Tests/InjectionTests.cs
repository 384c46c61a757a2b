namespace Pipeline.Cli.Tests;

/// <summary>
/// Values that reach a shell through ${…} are data wherever they stand, in real bash and sh: in
/// arithmetic (where bash evaluates a variable's contents), in heredocs, in $'…', and never in eval.
/// </summary>
public sealed class InjectionTests
{
    private static (int Code, string Output, string Dir) Run(string command, string value, string shell = "bash")
    {
        var dir = WorkflowProcess.TempDir();
        var json = System.Text.Json.JsonSerializer.Serialize(command);
        File.WriteAllText(Path.Combine(dir, "inj.workflow.json"),
            $$"""{ "name": "inj", "tasks": [ { "id": "t", "type": "shell", "shell": "{{shell}}", "command": {{json}} } ] }""");
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "inj.workflow.json", "--verbose", "-e", "N=" + value);
        return (code, stdout + stderr, dir);
    }

    [Theory]
    [InlineData("echo result=$(( ${env.N} + 1 ))")]
    [InlineData("(( ${env.N} >= 0 )) && echo result=positive")]
    [InlineData("[[ ${env.N} -eq 5 ]] && echo result=five")]
    [InlineData("let x=${env.N}+1; echo result=$x")]
    [InlineData("a=(1 2 3 4 5 6); echo result=${a[${env.N}]}")]
    public void A_payload_in_bash_arithmetic_fails_the_task_and_runs_nothing(string command)
    {
        var (code, output, dir) = Run(command, "a[$(touch pwned)]");
        Assert.Equal(1, code);
        Assert.Contains("arithmetic", output);
        Assert.False(File.Exists(Path.Combine(dir, "pwned")), "the payload ran");

        var (ok, okOutput, _) = Run(command, "5");
        Assert.True(ok == 0, okOutput);
        Assert.Contains("result=", okOutput);
    }

    [Fact]
    public void Arithmetic_gets_the_integer_itself()
    {
        var (code, output, _) = Run("echo result=$(( ${env.N} * 2 ))", "21");
        Assert.True(code == 0, output);
        Assert.Contains("result=42", output);
    }

    [Fact]
    public void Eval_with_an_expression_is_refused_before_the_run()
    {
        var (code, output, dir) = Run("eval \"echo ${env.N}\"", "$(touch pwned)");
        Assert.Equal(2, code);
        Assert.Contains("error WF3014", output);
        Assert.False(File.Exists(Path.Combine(dir, "pwned")));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    public void Heredocs_print_the_value_and_run_none_of_it(string shell)
    {
        const string value = "it's \"$(touch pwned)\" `touch pwned2` $HOME";
        var (code, output, dir) = Run("cat <<'EOF'\nquoted: ${env.N}\nEOF\ncat <<EOF\nplain: '${env.N}'\nEOF\ncat <<-END\n\ttabs: ${env.N}\n\tEND", value, shell);
        Assert.True(code == 0, output);
        Assert.Contains("quoted: " + value, output);
        Assert.Contains("plain: '" + value + "'", output);
        Assert.Contains("tabs: " + value, output);
        Assert.DoesNotContain("WORKFLOW_EXPR", output);
        Assert.Empty(Directory.GetFiles(dir, "pwned*"));
    }

    [Fact]
    public void A_value_that_would_end_a_quoted_heredoc_is_refused()
    {
        var (code, output, dir) = Run("cat <<'EOF'\n${env.N}\nEOF", "x\nEOF\ntouch pwned");
        Assert.Equal(1, code);
        Assert.Contains("would end its heredoc early", output);
        Assert.False(File.Exists(Path.Combine(dir, "pwned")));
    }

    [Fact]
    public void Ansi_c_strings_keep_their_escapes_and_take_the_value_as_data()
    {
        var (code, output, dir) = Run("echo $'it\\'s\\t' ${env.N} $'x ${env.N} y'", "$(touch pwned)");
        Assert.True(code == 0, output);
        Assert.Contains("it's\t $(touch pwned) x $(touch pwned) y", output);
        Assert.False(File.Exists(Path.Combine(dir, "pwned")));
    }
}
