using Pipeline.Core.Taskfile.Templates;

namespace Pipeline.Core.Tests;

/// <summary>Go text/template as go-task renders Taskfile strings.</summary>
public class TemplateTests
{
    private static readonly Dictionary<string, object?> Data = new()
    {
        ["NAME"] = "app",
        ["VERSION"] = "1.2.3",
        ["COUNT"] = 3L,
        ["EMPTY"] = "",
        ["ON"] = true,
        ["LIST"] = new List<object?> { "a", "b", "c" },
        ["MAP"] = new Dictionary<string, object?> { ["z"] = 1L, ["a"] = "x" },
        ["JSON"] = "{\"k\": [1, 2], \"s\": \"v\"}",
    };

    private static string R(string template) => Template.Render(template, Data);

    [Theory]
    [InlineData("plain {NAME}", "plain {NAME}")]
    [InlineData("{{.NAME}}-{{.VERSION}}", "app-1.2.3")]
    [InlineData("[{{.MISSING}}]", "[]")]
    [InlineData("{{.MISSING.DEEP}}", "")]
    [InlineData("{{.MISSING | default \"d\"}}", "d")]
    [InlineData("{{.EMPTY | default \"d\"}}", "d")]
    [InlineData("{{.NAME | default \"d\"}}", "app")]
    [InlineData("{{.LIST}}", "[a b c]")]
    [InlineData("{{.MAP}}", "map[a:x z:1]")]
    [InlineData("{{if eq .NAME \"app\"}}yes{{else}}no{{end}}", "yes")]
    [InlineData("{{if ne .COUNT 3}}a{{else if .ON}}b{{else}}c{{end}}", "b")]
    [InlineData("{{range .LIST}}<{{.}}>{{end}}", "<a><b><c>")]
    [InlineData("{{range $i, $e := .LIST}}{{$i}}={{$e}} {{end}}", "0=a 1=b 2=c ")]
    [InlineData("{{range .NOTHING}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .LIST}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", "a")]
    [InlineData("{{with .NAME}}[{{.}}]{{end}}", "[app]")]
    [InlineData("{{$x := upper .NAME}}{{$x}}{{$x = \"y\"}}{{$x}}", "APPy")]
    [InlineData("a  {{- \" b \" -}}  c", "a b c")]
    [InlineData("{{/* a comment */}}ok", "ok")]
    [InlineData("{{.NAME | upper | printf \"%s!\"}}", "APP!")]
    [InlineData("{{printf \"%05d|%-4s|%.2f|%q\" 42 \"ab\" 3.14159 \"x\"}}", "00042|ab  |3.14|\"x\"")]
    [InlineData("{{len .LIST}} {{index .LIST 1}} {{index .MAP \"a\"}}", "3 b x")]
    [InlineData("{{and .ON .NAME}} {{or .EMPTY .NAME}} {{not .ON}}", "app app false")]
    [InlineData("{{join \",\" .LIST}}|{{splitList \".\" .VERSION | last}}", "a,b,c|3")]
    [InlineData("{{replace \".\" \"_\" .VERSION}} {{trimPrefix \"1.\" .VERSION}} {{.VERSION | trimSuffix \".3\"}}", "1_2_3 2.3 1.2")]
    [InlineData("{{(fromJson .JSON).s}} {{index (fromJson .JSON).k 1}}", "v 2")]
    [InlineData("{{toJson .MAP}}", "{\"a\":\"x\",\"z\":1}")]
    [InlineData("{{add 1 2 .COUNT}} {{sub 10 .COUNT}} {{mul 2 3}} {{div 7 2}}", "6 7 6 3")]
    [InlineData("{{lt 1 2}} {{ge .COUNT 4}} {{eq .NAME \"x\" \"app\"}}", "true false true")]
    [InlineData("{{joinPath \"a\" \"b/../c\" \"d\"}} {{base \"x/y.txt\"}} {{ext \"y.tar.gz\"}}", "a/c/d y.txt .gz")]
    [InlineData("{{shellQuote \"it's\"}} {{q \"plain\"}} {{quote \"a\" \"b\"}}", "'it'\\''s' plain \"a\" \"b\"")]
    [InlineData("{{splitArgs \"a 'b c' \\\"d\\\"\" | len}}", "3")]
    [InlineData("{{catLines \"a\\nb\"}} {{splitLines \"a\\nb\" | len}}", "a b 2")]
    [InlineData("{{ternary \"y\" \"n\" .ON}} {{coalesce .EMPTY .MISSING \"z\"}} {{empty .LIST}}", "y z false")]
    [InlineData("{{regexReplaceAll \"[0-9]+\" .VERSION \"N\"}} {{regexMatch \"^1\\\\.\" .VERSION}}", "N.N.N true")]
    [InlineData("{{list 1 \"a\" | toJson}} {{dict \"k\" \"v\" | toJson}}", "[1,\"a\"] {\"k\":\"v\"}")]
    public void Renders_like_go_task(string template, string expected) => Assert.Equal(expected, R(template));

    [Fact]
    public void Dates_use_Go_layouts()
    {
        var data = new Dictionary<string, object?> { ["T"] = new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero) };
        Assert.Equal("2026-03-07 14:05:09 Mar Sat 2:05PM 7/3/26", Template.Render("{{date \"2006-01-02 15:04:05 Jan Mon 3:04PM 2/1/06\" .T}}", data));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", Template.Render("{{now | date \"2006-01-02\"}}", data));
    }

    [Fact]
    public void OS_and_ARCH_are_Go_names() => Assert.Equal("linux", R("{{OS}}"));

    [Fact]
    public void Evaluate_keeps_the_type_for_ref_variables()
    {
        Assert.Equal(new List<object?> { "a", "b", "c" }, Template.Evaluate(".LIST", Data));
        Assert.Equal(3L, Template.Evaluate(".COUNT", Data));
        Assert.Equal("v", Assert.IsType<Dictionary<string, object?>>(Template.Evaluate("fromJson .JSON", Data))["s"]);
    }

    [Theory]
    [InlineData("{{.NAME", "unclosed action")]
    [InlineData("{{if .ON}}x", "has no {{end}}")]
    [InlineData("{{end}}", "unexpected {{end}}")]
    [InlineData("{{nosuch .NAME}}", "function \"nosuch\" not defined")]
    [InlineData("{{if .ON}}{{nosuch}}{{end}}", "function \"nosuch\" not defined")]
    [InlineData("{{.NAME 1}}", "can't give argument to non-function")]
    [InlineData("{{range .NAME}}{{end}}", "range can't iterate over app")]
    [InlineData("{{eq .NAME 1}}", "incompatible types for comparison")]
    [InlineData("{{div 1 0}}", "divide by zero")]
    [InlineData("{{\"unterminated}}", "unclosed action")]
    public void Errors_read_like_Go(string template, string fragment)
    {
        var e = Assert.Throws<TemplateException>(() => R(template));
        Assert.StartsWith("template: ", e.Message);
        Assert.Contains(fragment, e.Message);
    }
}
