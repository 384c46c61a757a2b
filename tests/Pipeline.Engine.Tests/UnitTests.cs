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

    private static ShellScript.Result BuildWith(string command, string value, string shell = "bash") =>
        ShellScript.Build(InterpolatedString.Parse(command), shell, _ => value);

    [Theory]
    [InlineData("echo $(( ${env.N} + 1 ))", "echo $(( ${WORKFLOW_EXPR_1} + 1 ))")]
    [InlineData("echo \"$(( ${env.N} * 2 ))\"", "echo \"$(( ${WORKFLOW_EXPR_1} * 2 ))\"")]
    [InlineData("(( ${env.N} > 3 )) && echo big", "(( ${WORKFLOW_EXPR_1} > 3 )) && echo big")]
    [InlineData("let x=${env.N}+1", "let x=${WORKFLOW_EXPR_1}+1")]
    [InlineData("[[ ${env.N} -eq 3 ]]", "[[ ${WORKFLOW_EXPR_1} -eq 3 ]]")]
    [InlineData("[[ 3 -lt ${env.N} ]]", "[[ 3 -lt ${WORKFLOW_EXPR_1} ]]")]
    [InlineData("echo ${a[${env.N}]}", "echo ${a[${WORKFLOW_EXPR_1}]}")]
    [InlineData("a[${env.N}]=1", "a[${WORKFLOW_EXPR_1}]=1")]
    public void In_arithmetic_an_integer_goes_in_and_anything_else_fails_the_task(string command, string script)
    {
        Assert.Equal(script, BuildWith(command, "42").Script);
        Assert.Equal(script, BuildWith(command, "-7").Script);
        var refused = Assert.Throws<ExpressionException>(() => BuildWith(command, "a[$(touch pwned)]"));
        Assert.Contains("arithmetic", refused.Message);
        Assert.DoesNotContain("touch", refused.Message); // the value is not repeated (it may be a secret)
    }

    [Theory]
    [InlineData("[[ ${env.S} == abc ]]", "[[ \"${WORKFLOW_EXPR_1}\" == abc ]]")]
    [InlineData("[ ${env.S} -eq 3 ]", "[ \"${WORKFLOW_EXPR_1}\" -eq 3 ]")] // test(1) does no arithmetic evaluation
    [InlineData("echo $((1+2)) ${env.S}", "echo $((1+2)) \"${WORKFLOW_EXPR_1}\"")]
    [InlineData("echo ${a[0]} ${env.S}", "echo ${a[0]} \"${WORKFLOW_EXPR_1}\"")]
    public void Outside_arithmetic_any_value_goes_in(string command, string script) =>
        Assert.Equal(script, BuildWith(command, "a[$(touch pwned)]").Script);

    [Fact]
    public void An_expression_in_eval_is_refused()
    {
        var refused = Assert.Throws<ExpressionException>(() => BuildWith("eval \"echo ${env.X}\"", "hi"));
        Assert.Contains("eval", refused.Message);
        Assert.Equal("X=1 echo \"${WORKFLOW_EXPR_1}\"", BuildWith("X=1 echo ${env.X}", "hi").Script);
    }

    [Fact]
    public void A_quoted_heredoc_gets_the_value_itself_and_refuses_one_that_would_end_it()
    {
        var script = BuildWith("cat <<'EOF'\nvalue: ${env.X} $HOME\nEOF\necho ${env.X}", "it's \"$(x)\"").Script;
        Assert.Equal("cat <<'EOF'\nvalue: it's \"$(x)\" $HOME\nEOF\necho \"${WORKFLOW_EXPR_1}\"", script);
        Assert.Throws<ExpressionException>(() => BuildWith("cat <<'EOF'\n${env.X}\nEOF", "a\nEOF\ntouch pwned"));
        Assert.Throws<ExpressionException>(() => BuildWith("cat <<-\"END\"\n\t${env.X}\n\tEND", "x\n\t\tEND"));
    }

    [Theory]
    [InlineData("cat <<EOF\n'${env.X}'\nEOF", "cat <<EOF\n'${WORKFLOW_EXPR_1}'\nEOF")]
    [InlineData("cat <<EOF >out\n\"${env.X}\" ok\nEOF\necho '${env.X}'", "cat <<EOF >out\n\"${WORKFLOW_EXPR_1}\" ok\nEOF\necho ''\"${WORKFLOW_EXPR_2}\"''")]
    [InlineData("cat <<A <<B\n${env.X}\nA\n${env.X}\nB\necho ${env.X}", "cat <<A <<B\n${WORKFLOW_EXPR_1}\nA\n${WORKFLOW_EXPR_2}\nB\necho \"${WORKFLOW_EXPR_3}\"")]
    [InlineData("echo $'it\\'s ${env.X}'", "echo $'it\\'s '\"${WORKFLOW_EXPR_1}\"$''")]
    [InlineData("echo \"$'\" ${env.X}", "echo \"$'\" \"${WORKFLOW_EXPR_1}\"")]
    public void Heredocs_and_ansi_c_strings_get_references_that_fit(string command, string script) =>
        Assert.Equal(script, BuildWith(command, "v").Script);

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
    private const string Canary = "c4n@ry/S3cr\\et \"q\"+é";

    [Fact]
    public void Masks_the_value_and_its_base64_and_url_forms_longest_first()
    {
        var masker = new SecretMasker(["p@ss word", "p@ss"]);
        Assert.Equal("*** and ***", masker.Apply("p@ss word and p@ss"));
        Assert.Equal("Basic ***", masker.Apply("Basic " + Convert.ToBase64String("p@ss word"u8.ToArray())));
        Assert.Equal("?pw=***", masker.Apply("?pw=" + Uri.EscapeDataString("p@ss word")));
    }

    public static TheoryData<string, string> Disguises() => new()
    {
        { "base64 with a trailing newline (echo | base64)", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Canary + "\n")) },
        { "base64 after a prefix (user:secret, Basic auth)", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:" + Canary)) },
        { "base64 after a two-byte prefix", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ab" + Canary + "tail")) },
        { "url-safe base64", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Canary)).Replace('+', '-').Replace('/', '_').TrimEnd('=') },
        { "EscapeDataString", Uri.EscapeDataString(Canary) },
        { "lower-case hex", System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(Canary), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()) },
        { "python quote (keeps /)", "c4n%40ry/S3cr%5Cet%20%22q%22%2B%C3%A9" },
        { "python quote_plus", "c4n%40ry%2FS3cr%5Cet+%22q%22%2B%C3%A9" },
        { "JSON (System.Text.Json)", System.Text.Json.JsonSerializer.Serialize(Canary)[1..^1] },
        { "JSON (minimal escaping)", "c4n@ry/S3cr\\\\et \\\"q\\\"+é" },
    };

    [Theory, MemberData(nameof(Disguises))]
    public void Masks_every_disguise(string form, string text)
    {
        var masked = new SecretMasker([Canary]).Apply("before " + text + " after");
        Assert.True(masked.Contains("***"), $"{form}: {masked}");
        // No six characters in a row of any form of the secret survive.
        foreach (var secretForm in SecretForms.Of(Canary))
            for (var i = 0; i + 6 <= secretForm.Length; i++)
                Assert.False(masked.Contains(secretForm.Substring(i, 6)), $"{form}: '{secretForm.Substring(i, 6)}' survives in {masked}");
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked()
    {
        var key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----";
        var masker = new SecretMasker([key]);
        Assert.Equal("***", masker.Apply(key));
        Assert.Equal("line: ***", masker.Apply("line: AQEFAASCBKcwggSjAgEAAoIB"));
    }

    [Fact]
    public void Base64_wrapped_at_76_columns_is_masked_across_the_line_break()
    {
        var secret = "a-long-secret-value-that-crosses-the-wrap-" + new string('x', 40);
        var stream = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new string('p', 40) + secret + "\n"));
        var wrapped = string.Join("\n", Enumerable.Range(0, (stream.Length + 75) / 76).Select(i => stream.Substring(i * 76, Math.Min(76, stream.Length - i * 76))));
        var masked = new SecretMasker([secret]).Apply(wrapped);
        var fragment = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret))[..^4];
        foreach (var line in masked.Split('\n'))
            for (var i = 0; i + 8 <= fragment.Length; i++)
                Assert.DoesNotContain(fragment.Substring(i, 8), line); // no 8 characters of its Base64 survive on any line
    }

    [Fact]
    public void Secrets_shorter_than_the_minimum_are_not_masked_and_are_named_a_problem()
    {
        var masker = new SecretMasker(["ab", "xyz"]);
        Assert.True(masker.IsEmpty);
        Assert.Equal("cab taxyz", masker.Apply("cab taxyz"));
        Assert.NotNull(SecretMasker.Problem("xyz"));
        Assert.Null(SecretMasker.Problem("abcd"));
        Assert.Null(SecretMasker.Problem(""));
    }
}
