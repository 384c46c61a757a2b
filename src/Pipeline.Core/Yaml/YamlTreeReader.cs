using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using Scalar = YamlDotNet.Core.Events.Scalar;

namespace Pipeline.Core.Yaml;

/// <summary>
/// Builds <see cref="YamlNode"/>s from YamlDotNet's event parser, keeping a span for every node and
/// reporting duplicate keys (WF1005) instead of throwing. Syntax errors are WF1002 at YamlDotNet's
/// position, with a hint for the classic mistakes (tabs, unbalanced quotes).
/// </summary>
public sealed class YamlTreeReader
{
    private const int MaxDepth = 128;
    private readonly SourceDocument _doc;
    private readonly DiagnosticBag _bag;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private IParser _parser = null!;
    private int _depth;
    private int _lastPosition;

    private YamlTreeReader(SourceDocument doc, DiagnosticBag bag)
    {
        _doc = doc;
        _bag = bag;
    }

    /// <summary>The first document of the stream, or null (with a diagnostic) when the text is not valid YAML.</summary>
    public static YamlNode? Parse(SourceDocument document, DiagnosticBag diagnostics)
    {
        var reader = new YamlTreeReader(document, diagnostics);
        try
        {
            reader._parser = new Parser(new System.IO.StringReader(document.Text));
            reader._parser.Consume<StreamStart>();
            if (reader._parser.Accept<StreamEnd>(out _)) return null;
            reader._parser.Consume<DocumentStart>();
            var root = reader.ReadNode();
            reader._parser.Consume<DocumentEnd>();
            return root;
        }
        catch (YamlException ex)
        {
            reader.ReportSyntax(ex);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner fails this way on some malformed input; report where parsing got to.
            var at = reader._lastPosition;
            diagnostics.Report(Descriptors.YamlSyntax, document.Span(at, at + 1), "the YAML parser cannot read the text after this point",
                "check the quoting and indentation here and on the next lines");
            return null;
        }
        catch (DepthException ex)
        {
            diagnostics.Report(Descriptors.YamlSyntax, ex.Span, $"nesting deeper than {MaxDepth} levels", "a Taskfile never needs this much nesting");
            return null;
        }
    }

    private YamlNode ReadNode()
    {
        var current = _parser.Current ?? throw new YamlException("unexpected end of input");
        _lastPosition = _doc.Offset((int)current.Start.Line, (int)current.Start.Column);
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor defined before it");
            case Scalar scalar:
            {
                _parser.MoveNext();
                var node = MakeScalar(scalar);
                Remember(scalar.Anchor, node);
                return node;
            }
            case SequenceStart start:
            {
                _parser.MoveNext();
                Enter(start.Start);
                var items = new List<YamlNode>();
                while (!_parser.TryConsume<SequenceEnd>(out var end))
                    items.Add(ReadNode());
                _depth--;
                var node = new YamlSequence(SpanOf(start.Start, _parser.Current?.Start ?? start.End), items);
                Remember(start.Anchor, node);
                return node;
            }
            case MappingStart start:
            {
                _parser.MoveNext();
                Enter(start.Start);
                var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
                Mark last = start.End;
                while (!_parser.Accept<MappingEnd>(out var endEvent))
                {
                    var keyNode = ReadNode();
                    var value = ReadNode();
                    last = _parser.Current?.Start ?? last;
                    if (keyNode is not YamlScalar key)
                    {
                        _bag.Report(Descriptors.YamlSyntax, keyNode.Span, "a key must be a plain value, not a mapping or a list", "write key: value");
                        continue;
                    }
                    if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
                    {
                        Merge(entries, seen, value);
                        continue;
                    }
                    if (seen.TryGetValue(key.Value, out var first))
                    {
                        _bag.Report(Descriptors.DuplicateKey, key.Span, $"duplicate key \"{key.Value}\" (first defined at line {first.Span.Line}); the first value is used",
                            "remove one of the two");
                        continue;
                    }
                    seen.Add(key.Value, key);
                    entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));
                }
                var endMark = _parser.Current!.End;
                _parser.MoveNext();
                _depth--;
                var node = new YamlMapping(SpanOf(start.Start, endMark), entries);
                Remember(start.Anchor, node);
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    /// <summary>YAML 1.1 merge keys (<c>&lt;&lt;: *defaults</c>): keys already present win.</summary>
    private static void Merge(List<KeyValuePair<YamlScalar, YamlNode>> entries, Dictionary<string, YamlScalar> seen, YamlNode value)
    {
        var sources = value is YamlSequence seq ? seq.Items : new[] { value };
        foreach (var source in sources)
        {
            if (source is not YamlMapping map) continue;
            foreach (var e in map.Entries)
            {
                if (seen.ContainsKey(e.Key.Value)) continue;
                seen.Add(e.Key.Value, e.Key);
                entries.Add(e);
            }
        }
    }

    private void Enter(Mark at)
    {
        if (++_depth > MaxDepth) throw new DepthException(SpanOf(at, at));
    }

    private void Remember(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
    }

    private YamlScalar MakeScalar(Scalar scalar)
    {
        var style = scalar.Style switch
        {
            YamlDotNet.Core.ScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
            YamlDotNet.Core.ScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
            YamlDotNet.Core.ScalarStyle.Literal => ScalarStyle.Literal,
            YamlDotNet.Core.ScalarStyle.Folded => ScalarStyle.Folded,
            _ => ScalarStyle.Plain,
        };
        var start = _doc.Offset((int)scalar.Start.Line, (int)scalar.Start.Column);
        var end = Math.Max(start, _doc.Offset((int)scalar.End.Line, (int)scalar.End.Column));
        var span = _doc.Span(start, end);
        var offsets = Align(scalar.Value, start, end, style);
        return new YamlScalar(new LocatedString(scalar.Value, span, _doc, start, offsets), style);
    }

    /// <summary>
    /// Maps each character of a scalar's value to its offset in the file by walking the raw text
    /// forward (quotes, indentation and line breaks of block scalars are skipped). Exact for plain,
    /// single-quoted and literal scalars; close enough for escapes and folding.
    /// </summary>
    private int[] Align(string value, int start, int end, ScalarStyle style)
    {
        var text = _doc.Text;
        var offsets = new int[value.Length];
        var p = start;
        if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) p++;
        if (style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            while (p < end && text[p] != '\n') p++; // skip the header line (| or > with indicators)
        }
        for (var i = 0; i < value.Length; i++)
        {
            var found = -1;
            for (var q = p; q < Math.Min(end, p + 12); q++)
            {
                if (text[q] == value[i]) { found = q; break; }
            }
            if (found < 0) found = Math.Min(p, Math.Max(start, end - 1));
            offsets[i] = found;
            p = found + 1;
        }
        return offsets;
    }

    private SourceSpan SpanOf(Mark start, Mark end)
    {
        var s = _doc.Offset((int)start.Line, (int)start.Column);
        var e = _doc.Offset((int)end.Line, (int)end.Column);
        return _doc.Span(s, Math.Max(s, e));
    }

    private void ReportSyntax(YamlException ex)
    {
        var line = (int)Math.Max(1, ex.Start.Line);
        var column = (int)Math.Max(1, ex.Start.Column);
        var offset = _doc.Offset(line, column);
        var lineText = _doc.LineText(line);
        var message = ex.Message;
        var colon = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(", StringComparison.Ordinal) && colon > 0) message = message.Substring(colon + 3);
        string hint;
        var tabLine = TabInIndentation(lineText) ? line : FindTabIndentedLine(line);
        if (tabLine == 0 && message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0)
            tabLine = Enumerable.Range(1, _doc.LineCount).FirstOrDefault(l => TabInIndentation(_doc.LineText(l)));
        if (tabLine > 0)
        {
            hint = "YAML does not allow tabs for indentation; indent with spaces";
            offset = _doc.Offset(tabLine, _doc.LineText(tabLine).IndexOf('\t') + 1);
            message = "a tab character is used for indentation";
        }
        else if (message.IndexOf("quoted scalar", StringComparison.OrdinalIgnoreCase) >= 0)
            hint = "a quoted string is not closed; check the quotes on this line";
        else if (message.IndexOf("mapping values are not allowed", StringComparison.OrdinalIgnoreCase) >= 0)
            hint = "a value contains ': '; quote the whole value, e.g. cmd: \"echo a: b\"";
        else
            hint = "check the indentation and the quoting on this line and the one before";
        _bag.Report(Descriptors.YamlSyntax, _doc.Span(offset, offset + 1), message.TrimEnd('.'), hint);
    }

    private static bool TabInIndentation(string line)
    {
        foreach (var c in line)
        {
            if (c == '\t') return true;
            if (c != ' ') return false;
        }
        return false;
    }

    /// <summary>YamlDotNet often reports a tab on a later token; look back for the line that really has it.</summary>
    private int FindTabIndentedLine(int errorLine)
    {
        for (var l = errorLine; l >= 1 && l > errorLine - 3; l--)
            if (TabInIndentation(_doc.LineText(l))) return l;
        return 0;
    }

    private sealed class DepthException : Exception
    {
        public DepthException(SourceSpan span) => Span = span;
        public SourceSpan Span { get; }
    }
}
