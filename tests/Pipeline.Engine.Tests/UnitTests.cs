using Pipeline.Core.Expressions;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Processes;
using Pipeline.Engine.Secrets;

namespace Pipeline.Engine.Tests;

public sealed class ShellScriptTests
{
    private static ShellScript.Result Build(string command, string shell = "sh") =>
        ShellScript.Build(InterpolatedString.Parse(command), shell, e => "VALUE:" + e.Text);

    [Theory]
    [InlineData("echo ${item}", "echo \"${WORKFLOW_EXPR_1}\"")]
    [InlineData("echo \"a ${item} b\"", "echo \"a ${WORKFLOW_EXPR_1} b\"")]
    [InlineData("echo 'a ${item} b'", "echo 'a '\"${WORKFLOW_EXPR_1}\"' b'")]
    [InlineData("echo \"it's\" ${item}", "echo \"it's\" \"${WORKFLOW_EXPR_1}\"")]
    [InlineData("# don't\necho ${item}", "# don't\necho \"${WORKFLOW_EXPR_1}\"")]
    [InlineData("echo ${HOME} $${item}", "echo ${HOME} ${item}")]
    public void References_are_quoted_to_fit_where_the_expression_stands(string command, string script)
    {
        Assert.Equal(script, Build(command).Script);
    }

    [Fact]
    public void Values_go_to_variables_in_order_and_never_into_the_text()
    {
        var r = Build("cp ${env.A} ${env.B}");
        Assert.Equal("VALUE:env.A", r.Variables["WORKFLOW_EXPR_1"]);
        Assert.Equal("VALUE:env.B", r.Variables["WORKFLOW_EXPR_2"]);
        Assert.DoesNotContain("VALUE", r.Script);
    }

    [Fact]
    public void Powershell_and_cmd_use_their_own_variable_syntax()
    {
        Assert.Equal("Write-Output $env:WORKFLOW_EXPR_1", Build("Write-Output ${item}", "pwsh").Script);
        Assert.Equal("echo %WORKFLOW_EXPR_1%", Build("echo ${item}", "cmd").Script);
    }
}

public sealed class SimpleCommandTests
{
    [Theory]
    [InlineData("true", new[] { "true" })]
    [InlineData("dotnet build -c Release src/App.csproj", new[] { "dotnet", "build", "-c", "Release", "src/App.csproj" })]
    public void Plain_words_run_without_a_shell(string command, string[] words) => Assert.Equal(words, SimpleCommand.TrySplit(command));

    [Theory]
    [InlineData("echo $HOME")]
    [InlineData("a | b")]
    [InlineData("a; b")]
    [InlineData("ls *.cs")]
    [InlineData("echo 'x'")]
    [InlineData("A=1 make")]
    [InlineData("cd ~")]
    [InlineData("a\nb")]
    [InlineData("a > out")]
    [InlineData("")]
    public void Anything_with_shell_syntax_needs_the_shell(string command) => Assert.Null(SimpleCommand.TrySplit(command));
}

public sealed class OutputFileTests
{
    [Fact]
    public void Parses_pairs_and_blocks_and_reports_bad_lines()
    {
        var outputs = OutputFile.Parse("version=1.2.3\nempty=\nnotes<<EOF\na=b\nsecond\nEOF\nurl=http://x/?a=b\njunk\n", out var errors);
        Assert.Equal("1.2.3", outputs["version"]);
        Assert.Equal("", outputs["empty"]);
        Assert.Equal("a=b\nsecond", outputs["notes"]);
        Assert.Equal("http://x/?a=b", outputs["url"]);
        Assert.Single(errors);
        Assert.Contains("junk", errors[0]);
    }

    [Fact]
    public void An_unclosed_block_is_an_error()
    {
        OutputFile.Parse("x<<END\nline\n", out var errors);
        Assert.Contains("never closed", errors.Single());
    }
}

public sealed class SecretMaskerTests
{
    [Fact]
    public void Masks_the_value_and_its_base64_and_url_forms_longest_first()
    {
        var masker = new SecretMasker(["p@ss word", "p@ss"]);
        Assert.Equal("*** and ***", masker.Apply("p@ss word and p@ss"));
        Assert.Equal("Basic ***", masker.Apply("Basic " + Convert.ToBase64String("p@ss word"u8.ToArray())));
        Assert.Equal("?pw=***", masker.Apply("?pw=" + Uri.EscapeDataString("p@ss word")));
    }
}
