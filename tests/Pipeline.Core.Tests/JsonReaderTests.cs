using Pipeline.Core.Diagnostics;
using Pipeline.Core.Json;
using Pipeline.Core.Text;
using static Pipeline.Core.Tests.TestHelpers;

namespace Pipeline.Core.Tests;

public class JsonReaderTests
{
    private static (JsonNode? Node, IReadOnlyList<Diagnostic> Diagnostics) Parse(string text)
    {
        var bag = new DiagnosticBag();
        var node = JsonReader.Parse(new SourceDocument("t.json", text), bag);
        return (node, bag.Items);
    }

    [Fact]
    public void Keeps_positions_of_every_node_and_accepts_comments_and_trailing_commas()
    {
        var (node, diagnostics) = Parse("{\n  // comment\n  \"a\": [1, 2,],\n  /* block */ \"b\": \"x\",\n}");
        Assert.Empty(diagnostics);
        var obj = Assert.IsType<JsonObject>(node);
        var b = obj.Find("b")!;
        Assert.Equal((4, 15), (b.NameToken.Span.Line, b.NameToken.Span.Column));
        Assert.Equal((4, 20), (b.Value.Span.Line, b.Value.Span.Column));
        var a = Assert.IsType<JsonArray>(obj.Find("a")!.Value);
        Assert.Equal(2, a.Items.Count);
        Assert.Equal((3, 12), (a.Items[1].Span.Line, a.Items[1].Span.Column));
    }

    [Fact]
    public void Truncated_document_is_WF1001_at_the_unclosed_bracket()
    {
        var (node, diagnostics) = Parse("{\n  \"tasks\": [\n    { \"id\": \"a\" }");
        Assert.Null(node);
        var d = Single(diagnostics, "WF1001");
        AssertAt(d, 2, 12);
        Assert.Contains("unterminated array", d.Message);
    }

    [Fact]
    public void Duplicate_key_is_WF1005_at_the_second_key_and_keeps_the_first_value()
    {
        var (node, diagnostics) = Parse("{ \"a\": 1,\n  \"a\": 2 }");
        var d = Single(diagnostics, "WF1005");
        AssertAt(d, 2, 3);
        Assert.Equal("1", ((JsonNumber)((JsonObject)node!).Find("a")!.Value).Raw);
    }

    [Fact]
    public void Duplicate_key_in_a_large_object_is_found_too()
    {
        // Objects of 16 keys and more look keys up in a table instead of scanning: the same answer.
        var keys = string.Join(", ", Enumerable.Range(0, 20).Select(i => $"\"k{i}\": {i}"));
        var (node, diagnostics) = Parse("{ " + keys + ",\n  \"k3\": 99, \"k19\": 98, \"new\": 1 }");
        Assert.Equal(2, diagnostics.Count(d => d.Code == "WF1005"));
        var obj = (JsonObject)node!;
        Assert.Equal(21, obj.Properties.Count);
        Assert.Equal("3", ((JsonNumber)obj.Find("k3")!.Value).Raw);
    }

    [Fact]
    public void Strings_with_and_without_escapes_keep_their_text_and_positions()
    {
        var (node, diagnostics) = Parse("{ \"plain\": \"a b ✓\", \"escaped\": \"x\\ty\\u00e9\\\"\" }");
        Assert.Empty(diagnostics);
        var obj = (JsonObject)node!;
        var plain = (JsonString)obj.Find("plain")!.Value;
        var escaped = (JsonString)obj.Find("escaped")!.Value;
        Assert.Equal("a b ✓", plain.Value);
        Assert.Equal("x\tyé\"", escaped.Value);
        Assert.Equal((1, 12), (plain.Span.Line, plain.Span.Column));
        Assert.Equal((1, 32), (escaped.Span.Line, escaped.Span.Column));
    }

    [Theory]
    [InlineData("{ 'a': 1 }", 1, 3, "double quotes")]
    [InlineData("{ \"a\": True }", 1, 8, "lower case")]
    [InlineData("{ \"a\": 01 }", 1, 8, "leading zeros")]
    [InlineData("{ \"a\" 1 }", 1, 7, "':' expected")]
    [InlineData("{ \"a\": \"x\\q\" }", 1, 10, "invalid escape")]
    [InlineData("[1 2]", 1, 4, "',' or ']'")]
    [InlineData("", 1, 1, "empty")]
    public void Syntax_errors_have_positions_and_messages(string text, int line, int column, string fragment)
    {
        var (_, diagnostics) = Parse(text);
        var d = Single(diagnostics, "WF1001");
        AssertAt(d, line, column);
        Assert.NotNull(d.Hint);
        Assert.Contains(fragment, d.Message + " " + d.Hint);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_overflowing_the_stack()
    {
        var (_, diagnostics) = Parse(new string('[', 100_000));
        Assert.Contains("nesting deeper", Single(diagnostics, "WF1001").Message);
    }

    [Fact]
    public void Escaped_strings_map_characters_back_to_file_columns()
    {
        var (node, _) = Parse("{\"a\": \"\\u0041\\tb${x}\"}");
        var s = (JsonString)((JsonObject)node!).Find("a")!.Value;
        Assert.Equal("A\tb${x}", s.Value);
        var span = s.Located.SpanOf(3, 4); // "${x}" inside the value
        Assert.Equal(17, span.Column);
    }
}
