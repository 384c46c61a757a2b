using System;
using System.Collections.Generic;
using System.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;

namespace Pipeline.Core.Json;

/// <summary>
/// Reads JSON into <see cref="JsonNode"/>s that keep their positions. Accepts what people write in
/// configuration files: <c>//</c> and <c>/* */</c> comments and trailing commas. Stops at the first
/// syntax error (later errors would only echo the first) and reports it as WF1001; a duplicate key
/// is WF1005 and does not stop reading. Never throws on bad input.
/// </summary>
public sealed class JsonReader
{
    /// <summary>Deeper nesting than this is refused instead of risking the stack.</summary>
    public const int MaxDepth = 128;

    private readonly SourceDocument _doc;
    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private int _pos;
    private int _depth;

    private JsonReader(SourceDocument doc, DiagnosticBag diagnostics)
    {
        _doc = doc;
        _text = doc.Text;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses a whole document; returns null (with a WF1001 diagnostic) when it is not valid JSON.</summary>
    public static JsonNode? Parse(SourceDocument document, DiagnosticBag diagnostics)
    {
        var reader = new JsonReader(document, diagnostics);
        try
        {
            reader.SkipTrivia();
            if (reader._pos >= reader._text.Length)
                throw reader.Error(reader._pos, "the file is empty", "a workflow file is a JSON object: { \"name\": \"...\", \"tasks\": [ ... ] }");
            var root = reader.ParseValue();
            reader.SkipTrivia();
            if (reader._pos < reader._text.Length)
                throw reader.Error(reader._pos, $"unexpected {reader.Describe(reader._pos)} after the end of the document", "remove it, or wrap both values in an array");
            return root;
        }
        catch (JsonSyntaxException ex)
        {
            diagnostics.Report(Descriptors.JsonSyntax, ex.Span, ex.Message, ex.Hint);
            return null;
        }
    }

    private JsonNode ParseValue()
    {
        SkipTrivia();
        if (_pos >= _text.Length) throw Error(_pos, "unexpected end of file: a value was expected", "the file looks truncated");
        var c = _text[_pos];
        switch (c)
        {
            case '{': return ParseObject();
            case '[': return ParseArray();
            case '"': return new JsonString(ParseString());
            case 't': return ParseKeyword("true", s => new JsonBoolean(s, true));
            case 'f': return ParseKeyword("false", s => new JsonBoolean(s, false));
            case 'n': return ParseKeyword("null", s => new JsonNull(s));
            case '\'': throw Error(_pos, "strings must use double quotes", "replace '...' with \"...\"");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                if (char.IsLetter(c)) throw UnexpectedWord(_pos);
                throw Error(_pos, $"unexpected {Describe(_pos)}: a value was expected", "values are objects, arrays, \"strings\", numbers, true, false or null");
        }
    }

    private JsonObject ParseObject()
    {
        var start = _pos++;
        Enter(start);
        var properties = new List<JsonProperty>();
        Dictionary<string, LocatedString>? seen = null; // made once an object is big enough for a scan to cost more
        SkipTrivia();
        while (true)
        {
            if (_pos >= _text.Length) throw Error(start, "unterminated object: '}' expected before the end of file", "the file looks truncated; close every '{' with '}'");
            if (_text[_pos] == '}') { _pos++; break; }
            if (_text[_pos] != '"')
                throw Error(_pos, $"unexpected {Describe(_pos)}: a property name in double quotes was expected", _text[_pos] == ',' ? "remove the extra comma" : "write property names as \"name\"");
            var name = ParseString();
            SkipTrivia();
            if (_pos >= _text.Length || _text[_pos] != ':')
                throw Error(_pos, $"':' expected after property name \"{name.Value}\"", "write \"name\": value");
            _pos++;
            var value = ParseValue();
            if (FindEarlier(properties, ref seen, name.Value) is { } first)
            {
                _diagnostics.Report(Descriptors.DuplicateKey, name.Span,
                    $"duplicate key \"{name.Value}\" (first defined at line {first.Span.Line}); the first value is used",
                    "remove one of the two");
            }
            else
            {
                seen?.Add(name.Value, name);
                properties.Add(new JsonProperty(name, value));
            }
            SkipTrivia();
            if (_pos >= _text.Length) continue; // reported as unterminated at the top of the loop
            if (_text[_pos] == ',') { _pos++; SkipTrivia(); continue; }
            if (_text[_pos] == '}') { _pos++; break; }
            throw Error(_pos, $"',' or '}}' expected after the value of \"{name.Value}\", found {Describe(_pos)}", "separate properties with commas");
        }
        _depth--;
        return new JsonObject(_doc.Span(start, _pos), properties);
    }

    /// <summary>The earlier key of that name in this object, if any: a scan while the object is small, a table after.</summary>
    private static LocatedString? FindEarlier(List<JsonProperty> properties, ref Dictionary<string, LocatedString>? seen, string name)
    {
        if (seen is null && properties.Count >= 16)
        {
            seen = new Dictionary<string, LocatedString>(StringComparer.Ordinal);
            foreach (var p in properties) seen.Add(p.Name, p.NameToken);
        }
        if (seen is not null) return seen.TryGetValue(name, out var first) ? first : null;
        foreach (var p in properties)
            if (p.Name == name) return p.NameToken;
        return null;
    }

    private JsonArray ParseArray()
    {
        var start = _pos++;
        Enter(start);
        var items = new List<JsonNode>();
        SkipTrivia();
        while (true)
        {
            if (_pos >= _text.Length) throw Error(start, "unterminated array: ']' expected before the end of file", "the file looks truncated; close every '[' with ']'");
            if (_text[_pos] == ']') { _pos++; break; }
            if (_text[_pos] == ',') throw Error(_pos, "unexpected ',': a value was expected", "remove the extra comma");
            items.Add(ParseValue());
            SkipTrivia();
            if (_pos >= _text.Length) continue;
            if (_text[_pos] == ',') { _pos++; SkipTrivia(); continue; }
            if (_text[_pos] == ']') { _pos++; break; }
            throw Error(_pos, $"',' or ']' expected in array, found {Describe(_pos)}", "separate array items with commas");
        }
        _depth--;
        return new JsonArray(_doc.Span(start, _pos), items);
    }

    private void Enter(int start)
    {
        if (++_depth > MaxDepth)
            throw Error(start, $"nesting deeper than {MaxDepth} levels", "a workflow never needs this much nesting; the file is probably generated wrongly");
    }

    private LocatedString ParseString()
    {
        var start = _pos++;
        // Most strings hold no escape: find the closing quote and take the text as written.
        var end = _pos;
        while (end < _text.Length && _text[end] is not ('"' or '\\') && _text[end] >= 0x20) end++;
        if (end < _text.Length && _text[end] == '"')
        {
            _pos = end + 1;
            return new LocatedString(_text.Substring(start + 1, end - start - 1), _doc.Span(start, _pos), _doc, start + 1, null);
        }

        var sb = new StringBuilder();
        List<int>? offsets = null; // only built once an escape shifts characters
        while (true)
        {
            if (_pos >= _text.Length) throw Error(start, "unterminated string", "close the string with \"");
            var c = _text[_pos];
            if (c == '"') { _pos++; break; }
            if (c == '\n' || c == '\r') throw Error(start, "unterminated string: a line break inside a string", "close the string with \" on the same line, or write \\n");
            if (c < 0x20) throw Error(_pos, $"control character U+{(int)c:X4} inside a string", "escape it, e.g. \\t for a tab");
            if (c != '\\')
            {
                offsets?.Add(_pos);
                sb.Append(c);
                _pos++;
                continue;
            }
            if (offsets is null)
            {
                offsets = new List<int>(sb.Length + 8);
                for (var i = 0; i < sb.Length; i++) offsets.Add(start + 1 + i);
            }
            var escapeStart = _pos;
            if (_pos + 1 >= _text.Length) throw Error(start, "unterminated string", "close the string with \"");
            var e = _text[_pos + 1];
            _pos += 2;
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !IsHex4(_pos))
                        throw Error(escapeStart, "invalid \\u escape: four hex digits expected", "write \\u followed by four hex digits, e.g. \\u00e9");
                    sb.Append((char)Convert.ToInt32(_text.Substring(_pos, 4), 16));
                    _pos += 4;
                    break;
                default:
                    throw Error(escapeStart, $"invalid escape '\\{e}' in string", "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; write \\\\ for a backslash");
            }
            offsets.Add(escapeStart);
        }
        var span = _doc.Span(start, _pos);
        return new LocatedString(sb.ToString(), span, _doc, start + 1, offsets?.ToArray());
    }

    private bool IsHex4(int at)
    {
        for (var i = 0; i < 4; i++)
        {
            var h = _text[at + i];
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return false;
        }
        return true;
    }

    private JsonNumber ParseNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-') _pos++;
        if (_pos >= _text.Length || !char.IsDigit(_text[_pos])) throw Error(start, "invalid number", "a number looks like 42, -1 or 2.5");
        if (_text[_pos] == '0' && _pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1]))
            throw Error(start, "numbers cannot have leading zeros", "write 8, not 08");
        while (_pos < _text.Length && IsAsciiDigit(_text[_pos])) _pos++;
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (_pos >= _text.Length || !IsAsciiDigit(_text[_pos])) throw Error(start, "invalid number: digits expected after '.'", "write 1.0, not 1.");
            while (_pos < _text.Length && IsAsciiDigit(_text[_pos])) _pos++;
        }
        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-')) _pos++;
            if (_pos >= _text.Length || !IsAsciiDigit(_text[_pos])) throw Error(start, "invalid number: exponent digits expected", "write 1e3");
            while (_pos < _text.Length && IsAsciiDigit(_text[_pos])) _pos++;
        }
        if (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            throw Error(start, $"invalid number '{ReadWord(start)}'", "quote it if it is text");
        return new JsonNumber(_doc.Span(start, _pos), _text.Substring(start, _pos - start));
    }

    private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    private JsonNode ParseKeyword(string keyword, Func<SourceSpan, JsonNode> make)
    {
        var start = _pos;
        if (string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0 &&
            (_pos + keyword.Length >= _text.Length || !char.IsLetterOrDigit(_text[_pos + keyword.Length])))
        {
            _pos += keyword.Length;
            return make(_doc.Span(start, _pos));
        }
        throw UnexpectedWord(start);
    }

    /// <summary>A bare word where a value belongs: True/NULL get a hint about case, anything else about quoting.</summary>
    private JsonSyntaxException UnexpectedWord(int start)
    {
        var word = ReadWord(start);
        var hint = word.Equals("True", StringComparison.OrdinalIgnoreCase) || word.Equals("False", StringComparison.OrdinalIgnoreCase) || word.Equals("Null", StringComparison.OrdinalIgnoreCase)
            ? $"JSON keywords are lower case: {word.ToLowerInvariant()}"
            : "quote it if it is text";
        return Error(start, $"unexpected '{word}'", hint);
    }

    private string ReadWord(int start)
    {
        var end = start;
        while (end < _text.Length && end - start < 40 && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_' || _text[end] == '.' || _text[end] == '-')) end++;
        return end == start ? _text[start].ToString() : _text.Substring(start, end - start);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF') { _pos++; continue; }
            if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
                continue;
            }
            if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                var start = _pos;
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(start, "unterminated comment: '*/' expected", "close the comment with */");
                _pos = end + 2;
                continue;
            }
            break;
        }
    }

    private string Describe(int at)
    {
        if (at >= _text.Length) return "end of file";
        var c = _text[at];
        return char.IsControl(c) ? $"character U+{(int)c:X4}" : $"'{c}'";
    }

    private JsonSyntaxException Error(int at, string message, string hint)
    {
        var end = at < _text.Length ? at + 1 : at;
        return new JsonSyntaxException(_doc.Span(at, end), message, hint);
    }

    private sealed class JsonSyntaxException : Exception
    {
        public JsonSyntaxException(SourceSpan span, string message, string hint) : base(message)
        {
            Span = span;
            Hint = hint;
        }

        public SourceSpan Span { get; }
        public string Hint { get; }
    }
}
