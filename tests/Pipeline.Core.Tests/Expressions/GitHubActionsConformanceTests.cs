using Pipeline.Core.Expressions;

namespace Pipeline.Core.Tests.Expressions;

/// <summary>
/// Our expressions behave as GitHub Actions' do. Each case is an expression, the contexts it reads,
/// and what GitHub's evaluator (github.com/actions/languageservices, expressions/) gives: a value, or
/// an error. Written from its behaviour, one case per rule we found ours breaking or worth pinning.
/// </summary>
public sealed class GitHubActionsConformanceTests
{
    /// <summary>An expected value as JSON; "number:NaN" and the like for numbers JSON cannot hold; "error" for a parse or evaluation error.</summary>
    public sealed record Case(string Expression, string Expected, string? Contexts = null)
    {
        public override string ToString() => Expression.Length > 80 ? Expression[..77] + "..." : Expression;
    }

    private static Case C(string expression, string expected, string? contexts = null) => new(expression, expected, contexts);

    private static readonly string Labels = """{ "labels": [{ "name": "bug" }, { "name": "enhancement" }, { "name": "help wanted" }] }""";
    private static readonly string Items = """{ "items": ["_1_", "_2_", "_3_"] }""";

    public static readonly Case[] All =
    [
        // case(pred, value, ..., default)
        C("case(true, 'first', 'default')", "\"first\""),
        C("case(false, 'first', 'default')", "\"default\""),
        C("case(true, 'first', false, 'second', 'default')", "\"first\""),
        C("case(false, 'first', true, 'second', 'default')", "\"second\""),
        C("case(false, 'first', false, 'second', 'default')", "\"default\""),
        C("case(1 == 1, 'equal', 'not equal')", "\"equal\""),
        C("case(1 == 2, 'equal', 'not equal')", "\"not equal\""),
        C("case(git.ref == 'refs/heads/main', 'main', git.event == 'pull_request', 'pr', 'other')", "\"pr\"", """{ "git": { "ref": "refs/heads/dev", "event": "pull_request" } }"""),
        C("case(git.ref == 'refs/heads/main', 'main', git.event == 'pull_request', 'pr', 'other')", "\"main\"", """{ "git": { "ref": "refs/heads/main", "event": "push" } }"""),
        C("case(git.ref == 'refs/heads/main', 'main', git.event == 'pull_request', 'pr', 'other')", "\"other\"", """{ "git": { "ref": "refs/heads/dev", "event": "push" } }"""),
        C("case(true, 123, 456)", "123"),
        C("case(false, 0, 1)", "1"),
        C("case(true, false, true)", "false"),
        C("case(true, '', 'default')", "\"\""),
        C("case(true, fromJSON('[1,2,3]'), 'default')", "[1, 2, 3]"),
        C("case(true, fromJSON('{\"key\":\"value\"}'), 'default')", "{ \"key\": \"value\" }"),
        C("case(false, 'a', false, 'b', true, 'c', false, 'd', 'e')", "\"c\""),
        C("CASE(true, 'x', 'y')", "\"x\""),
        C("case('not a boolean', 'first', 'default')", "error"),
        C("case(1, 'first', 'default')", "error"),
        C("case(null, 'first', 'default')", "error"),
        C("case(fromJSON('[]'), 'first', 'default')", "error"),
        C("case(fromJSON('{}'), 'first', 'default')", "error"),
        C("case(true, 'first', false, 'second')", "error"),
        C("case(true, 'first')", "error"),

        // numbers as text: 15 significant digits, JavaScript's notation
        C("format('{0}', 1)", "\"1\""),
        C("format('{0}', .5)", "\"0.5\""),
        C("format('{0}', -.5)", "\"-0.5\""),
        C("format('{0}', -2.0)", "\"-2\""),
        C("format('{0}', -0)", "\"0\""),
        C("format('{0}', -0.0)", "\"0\""),
        C("format('{0}', +123456.789)", "\"123456.789\""),
        C("format('{0}', -123456.789)", "\"-123456.789\""),
        C("format('{0}', 0.84551240822557006)", "\"0.84551240822557\""),
        C("format('{0}', 1234.56)", "\"1234.56\""),
        C("format('{0}', 0xff)", "\"255\""),
        C("format('{0}', 0o10)", "\"8\""),
        C("format('{0}', 1.2E+2)", "\"120\""),
        C("format('{0}', 1.2e-2)", "\"0.012\""),
        C("format('{0}', Infinity)", "\"Infinity\""),
        C("format('{0}', -Infinity)", "\"-Infinity\""),
        C("format('{0}', NaN)", "\"NaN\""),
        C("format('{0}', 1e21)", "\"1e+21\""),
        C("format('{0}', 1.5e21)", "\"1.5e+21\""),
        C("format('{0}', 1e20)", "\"100000000000000000000\""),
        C("format('{0}', 123456789012345678)", "\"123456789012346000\""),
        C("format('{0}', 0.000001)", "\"0.000001\""),
        C("format('{0}', 1e-7)", "\"1e-7\""),
        C("format('{0}', 2.5e-8)", "\"2.5e-8\""),
        C("format('{0}', -1.5e300)", "\"-1.5e+300\""),
        C("toJSON(1e21)", "\"1e+21\""),
        C("format('{0}', ctx)", "\"Array\"", """{ "ctx": [1, 2, 3] }"""),
        C("format('{0}', ctx)", "\"Object\"", """{ "ctx": { "a": 1 } }"""),
        C("format('{0}', null)", "\"\""),
        C("format('{0}', true)", "\"true\""),

        // join
        C("join(issue.labels.*.name, ', ')", "\"bug, enhancement, help wanted\"", """{ "issue": """ + Labels + " }"),
        C("join(null)", "\"\""),
        C("join(true)", "\"true\""),
        C("join(123.456)", "\"123.456\""),
        C("join('abc')", "\"abc\""),
        C("join(a)", "\"\"", """{ "a": [] }"""),
        C("join(o)", "\"\"", """{ "o": {} }"""),
        C("join(o)", "\"\"", """{ "o": { "key1": "value1" } }"""),
        C("join(a)", "\",true,123.456,abc,Array,Array,Object,Object\"", """{ "a": [null, true, 123.456, "abc", [], ["def"], {}, { "key1": "value1" }] }"""),
        C("join(items, null)", "\"_1__2__3_\"", Items),
        C("join(items, true)", "\"_1_true_2_true_3_\"", Items),
        C("join(items, 123.456)", "\"_1_123.456_2_123.456_3_\"", Items),
        C("join(items, ' | ')", "\"_1_ | _2_ | _3_\"", Items),
        C("join(items, sep)", "\"_1_,_2_,_3_\"", """{ "items": ["_1_", "_2_", "_3_"], "sep": [] }"""),
        C("join(items, sep)", "\"_1_,_2_,_3_\"", """{ "items": ["_1_", "_2_", "_3_"], "sep": {} }"""),
        C("join()", "error"),
        C("join(1, 2, 3)", "error"),

        // property access
        C("foo.bar", "\"baz\"", """{ "foo": { "bar": "baz" } }"""),
        C("foo.BAR", "\"baz\"", """{ "foo": { "bar": "baz" } }"""),
        C("foo.bar", "\"baz\"", """{ "foo": { "BAR": "baz" } }"""),
        C("foo._", "\"baz\"", """{ "foo": { "_": "baz" } }"""),
        C("foo.b_ar", "\"baz\"", """{ "foo": { "b_ar": "baz" } }"""),
        C("foo.b-ar", "\"baz\"", """{ "foo": { "b-ar": "baz" } }"""),
        C("foo.true", "\"it's true\"", """{ "foo": { "true": "it's true" } }"""),
        C("foo.false", "\"it's false\"", """{ "foo": { "false": "it's false" } }"""),
        C("foo.null", "\"it's null\"", """{ "foo": { "null": "it's null" } }"""),
        C("foo.NaN", "\"it's NaN\"", """{ "foo": { "NaN": "it's NaN" } }"""),
        C("foo.Infinity", "\"it's Infinity\"", """{ "foo": { "Infinity": "it's Infinity" } }"""),
        C("foo.format", "\"it's format\"", """{ "foo": { "format": "it's format" } }"""),
        C("fromJson('{\"one\": \"one val\"}').one", "\"one val\""),
        C("(fromJson('{\"one\": \"one val\"}')).one", "\"one val\""),
        C("foo[*]", "[\"one val\", \"two val\"]", """{ "foo": { "one": "one val", "two": "two val" } }"""),
        C("foo.b@r", "error", """{ "foo": { "b@r": "baz" } }"""),
        C("foo.1", "error", """{ "foo": {} }"""),
        C("fromjson('').1", "error"),
        C("foo[1].2", "error", """{ "foo": {} }"""),

        // nesting: GitHub allows 50 levels (each expression, ! , access along a path, and || or && chain)
        C(new string('!', 49) + "true", "false"),
        C(new string('!', 50) + "true", "error"),
        C("a" + string.Concat(Enumerable.Repeat(".b", 49)), "null", """{ "a": {} }"""),
        C("a" + string.Concat(Enumerable.Repeat(".b", 50)), "error", """{ "a": {} }"""),
        C("a" + string.Concat(Enumerable.Repeat("['b']", 50)), "error", """{ "a": {} }"""),
        C(new string('(', 49) + "1" + new string(')', 49), "1"),
        C(new string('(', 50) + "1" + new string(')', 50), "error"),
        C(string.Join(" || ", Enumerable.Repeat("0", 200)) + " || 'last'", "\"last\""),
        C(string.Join(" && ", Enumerable.Repeat("1", 200)), "1"),

        // an empty expression is null
        C("", "null"),
        C("   ", "null"),

        // precedence and associativity
        C("foo.bar.baz", "2", """{ "foo": { "bar": { "baz": 2 } } }"""),
        C("!foo.bar", "false", """{ "foo": { "bar": true } }"""),
        C("(!foo).bar", "null", """{ "foo": { "bar": true } }"""),
        C("3 > foo['bar']", "true", """{ "foo": { "bar": 2 } }"""),
        C("!2 < 3", "true"),
        C("!(2 < 3)", "false"),
        C("3 < 2 < 1", "true"),
        C("3 < (2 < 1)", "false"),
        C("0 > 0 < 1", "true"),
        C("2 > 2 > 0", "false"),
        C("2 > (2 > 0)", "true"),
        C("2 <= 3 == true", "true"),
        C("2 == 2 == 1", "true"),
        C("2 == (2 != 0)", "false"),
        C("1 == 1 && 2", "2"),
        C("'a' == ('a' && 'b')", "false"),
        C("false && 0 || null", "null"),
        C("false && (0 || null)", "false"),
        C("1 || 2 && 3", "1"),
        C("(1 || 2) && 3", "3"),

        // comparison and coercion
        C("false < true", "true"),
        C("1.001 < 1.002", "true"),
        C("'abc' < 'def'", "true"),
        C("'b' < 'a'", "false"),
        C("test < test", "false", """{ "test": [] }"""),
        C("test < test", "false", """{ "test": {} }"""),
        C("false < NaN", "false"),
        C("true < Infinity", "true"),
        C("false < -Infinity", "false"),
        C("false < '1'", "true"),
        C("true < null", "false"),
        C("true < test", "false", """{ "test": {} }"""),
        C("0 < ' 1 '", "true"),
        C("1 < ' 1 '", "false"),
        C("-1 < null", "true"),
        C("0 < test", "false", """{ "test": [] }"""),
        C("'-1' < false", "true"),
        C("' 0 ' < 1", "true"),
        C("'' < null", "false"),
        C("'-1' < null", "true"),
        C("null < true", "true"),
        C("null < ' 1 '", "true"),
        C("null < test", "false", """{ "test": {} }"""),
        C("NaN < true", "false"),
        C("-Infinity < false", "true"),
        C("'abc' == 'ABC'", "true"),
        C("1 == '1'", "true"),
        C("null == 0", "true"),
        C("'' == 0", "true"),
        C("NaN == NaN", "false"),

        // functions
        C("contains('hello world', 'WORLD')", "true"),
        C("contains(fromJSON('[1, 2]'), '1')", "true"),
        C("startsWith('Hello', 'he')", "true"),
        C("endsWith('Hello', 'LO')", "true"),
        C("endsWith(123, 3)", "true"),
        C("toJSON('x')", "\"\\\"x\\\"\""),
        C("toJSON(null)", "\"null\""),
        C("fromJSON('[1, \"a\", true, null]')", "[1, \"a\", true, null]"),
        C("fromJSON('')", "error"),
        C("fromJSON('{\"a\":')", "error"),
        C("format('{0} {1}', 'a', 'b')", "\"a b\""),
        C("format('{{0}}', 'a')", "\"{0}\""),
        C("format('{0', 'a')", "error"),
        C("format('{1}', 'a')", "error"),
    ];

    public static TheoryData<Case> Cases => new(All);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates_as_GitHub_Actions_does(Case c)
    {
        var context = new ExpressionContext();
        if (c.Contexts is not null)
            foreach (var (name, value) in Evaluator.FromJson(c.Contexts).AsObject) context.Set(name, value);

        ExprValue actual;
        try
        {
            actual = Evaluator.Evaluate(c.Expression, context);
        }
        catch (ExpressionException e)
        {
            Assert.True(c.Expected == "error", $"{c.Expression}: expected {c.Expected}, got an error: {e.Message}");
            return;
        }
        Assert.True(c.Expected != "error", $"{c.Expression}: expected an error, got {actual.Kind} {actual.ToJson(indented: false)}");
        if (c.Expected.StartsWith("number:", StringComparison.Ordinal))
        {
            Assert.Equal(ExprKind.Number, actual.Kind);
            Assert.Equal(c.Expected["number:".Length..], actual.ToText());
            return;
        }
        var expected = Evaluator.FromJson(c.Expected);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.ToJson(indented: false), actual.ToJson(indented: false));
    }

    [Fact]
    public void The_cases_cover_every_rule_the_reference_was_found_to_differ_on()
    {
        // case(), the nesting limit, join, NaN/Infinity as names, the empty expression, JavaScript's numbers.
        Assert.True(All.Length >= 150, $"{All.Length} cases");
        foreach (var needle in new[] { "case(", "join(", "foo.NaN", "foo.Infinity", "1e21" })
            Assert.Contains(All, c => c.Expression.Contains(needle, StringComparison.Ordinal));
        Assert.Contains(All, c => c.Expression.Length == 0);
    }
}
