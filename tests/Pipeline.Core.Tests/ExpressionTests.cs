using Pipeline.Core.Expressions;

namespace Pipeline.Core.Tests;

public class ExpressionTests
{
    private static ExpressionContext Context(bool failed = false, bool cancelled = false) =>
        new ExpressionContext { Failed = failed, Cancelled = cancelled }
            .Set("env", ExprValue.Object(new Dictionary<string, ExprValue> { ["MODE"] = ExprValue.String("release"), ["COUNT"] = ExprValue.String("3") }))
            .Set("tasks", Evaluator.FromJson("""{ "build": { "status": "succeeded", "exit_code": 0, "outputs": { "version": "1.2.3", "files": "[\"a\",\"b\"]" } } }"""))
            .Set("item", ExprValue.String("x"));

    [Theory]
    [InlineData("env.MODE == 'RELEASE'", "true")]            // strings compare ignoring case
    [InlineData("env.COUNT == 3", "true")]                   // number vs string: the string becomes a number
    [InlineData("env.COUNT > 2 && env.COUNT < 4", "true")]
    [InlineData("'' == 0", "true")]
    [InlineData("null == 0", "true")]
    [InlineData("'true' == true", "false")]                   // 'true' -> NaN
    [InlineData("' 0xff ' == 255", "true")]
    [InlineData("3 < 2 < 1", "true")]                         // left-associative: (3<2)=false=0 < 1
    [InlineData("env.MISSING", "")]                           // a miss is null, never an error
    [InlineData("env.MISSING || 'default'", "default")]       // || returns the deciding operand
    [InlineData("env.MODE && 'yes'", "yes")]
    [InlineData("!env.MISSING", "true")]
    [InlineData("tasks.build.outputs.version", "1.2.3")]
    [InlineData("tasks['build'].OUTPUTS['version']", "1.2.3")] // case-insensitive keys, index syntax
    [InlineData("tasks.build.exit_code == 0", "true")]
    [InlineData("contains(fromJSON(tasks.build.outputs.files), 'B')", "true")]
    [InlineData("contains('Hello world', 'WORLD')", "true")]
    [InlineData("startsWith(env.MODE, 'rel')", "true")]
    [InlineData("endsWith(env.MODE, 'x')", "false")]
    [InlineData("format('{0}-{1} {{x}}', env.MODE, 2)", "release-2 {x}")]
    [InlineData("join(fromJSON('[1, 2, 3]'), '+')", "1+2+3")]
    [InlineData("toJSON(fromJSON('{\"a\": [1]}'))", "{\n  \"a\": [\n    1\n  ]\n}")]
    [InlineData("fromJSON('[10, 20]')[1]", "20")]
    [InlineData("join(fromJSON('{\"a\": {\"b\": 1}, \"c\": {\"b\": 2}, \"d\": {}}').*.b)", "1,2")] // x.*.b collects b from each element
    [InlineData("0.5 == .5", "true")]
    [InlineData("1e3 == 1000", "true")]
    [InlineData("NaN == NaN", "false")]
    [InlineData("'It''s'", "It's")]
    public void Evaluates_with_GitHub_Actions_semantics(string expression, string expected)
    {
        Assert.Equal(expected, Evaluator.Evaluate(expression, Context()).ToText());
    }

    [Fact]
    public void Conditions_without_a_status_function_mean_success_and()
    {
        var plain = Parser.Parse("env.MODE == 'release'");
        Assert.True(Evaluator.EvaluateCondition(plain, Context()));
        Assert.False(Evaluator.EvaluateCondition(plain, Context(failed: true)));
        Assert.True(Evaluator.EvaluateCondition(Parser.Parse("failure()"), Context(failed: true)));
        Assert.True(Evaluator.EvaluateCondition(Parser.Parse("always()"), Context(cancelled: true)));
        Assert.False(Evaluator.EvaluateCondition(Parser.Parse("!cancelled()"), Context(cancelled: true)));
        Assert.True(Evaluator.EvaluateCondition(Parser.Parse("!failure()"), Context(cancelled: true))); // any status call disables the implicit success()
    }

    [Theory]
    [InlineData("env.X ==", 8, "end of the expression")]
    [InlineData("env.X = 'a'", 6, "'=' is not an operator")]
    [InlineData("\"text\"", 0, "single quotes")]
    [InlineData("(env.X", 6, "')'")]
    [InlineData("env.X & y", 6, "&&")]
    [InlineData("'open", 0, "unterminated string")]
    [InlineData("1.2.3", 0, "invalid number")]
    public void Syntax_errors_point_at_the_bad_token(string expression, int start, string fragment)
    {
        var parsed = Parser.Parse(expression);
        Assert.False(parsed.Success);
        Assert.Equal(ExpressionErrorKind.Syntax, parsed.Error!.Kind);
        Assert.Equal(start, parsed.Error.Start);
        Assert.Contains(fragment, parsed.Error.Message + " " + parsed.Error.Hint);
    }

    [Theory]
    [InlineData("contain(a, b)", "unknown function 'contain'")]
    [InlineData("success(1)", "takes 0 argument(s), not 1")]
    [InlineData("format()", "at least 1")]
    public void Functions_are_checked_when_parsing(string expression, string fragment)
    {
        var parsed = Parser.Parse(expression);
        Assert.Equal(ExpressionErrorKind.UnknownFunction, parsed.Error!.Kind);
        Assert.Contains(fragment, parsed.Error.Message);
    }

    [Fact]
    public void Parser_limits_depth_instead_of_overflowing()
    {
        Assert.Contains("nested deeper", Parser.Parse(new string('(', 60) + "1" + new string(')', 60)).Error!.Message);
        Assert.Contains("nested deeper", Parser.Parse(new string('!', 60) + "1").Error!.Message);
    }

    [Fact]
    public void Format_errors_are_reported_at_evaluation()
    {
        var ex = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("format('{1}', 'a')", Context()));
        Assert.Contains("placeholder {1}", ex.Message);
        Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("fromJSON('{bad')", Context()));
    }

    [Fact]
    public void Interpolation_leaves_shell_syntax_alone_and_honours_the_escape()
    {
        var s = InterpolatedString.Parse("echo ${item} ${HOME} ${VAR:-d} $${item} ${format('{0}!', env.MODE)}");
        Assert.Equal(2, s.Segments.OfType<ExpressionSegment>().Count());
        Assert.Equal("echo x ${HOME} ${VAR:-d} ${item} release!", s.Render(Context()));
        Assert.Single(InterpolatedString.Parse("echo ${env.X").Errors);
    }
}
