using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pipeline.Core.Taskfile.Templates;

internal enum TokenKind { Identifier, Field, Dot, Variable, String, Number, Bool, Nil, Pipe, LeftParen, RightParen, Declare, Assign, Comma }

/// <summary>One token inside <c>{{ }}</c>. <see cref="Path"/> holds field names (<c>.A.B</c>, <c>$x.A</c>, <c>).A</c>).</summary>
internal sealed record Token(TokenKind Kind, string Text, object? Value, IReadOnlyList<string> Path);

/// <summary>A piece of the template: literal text, or the tokens of one action.</summary>
internal sealed record TemplateItem(string? Text, IReadOnlyList<Token>? Tokens, int Offset);

/// <summary>
/// Splits a template into text and actions as Go's text/template does: <c>{{- </c> and <c> -}}</c> trim the
/// white space beside them, <c>{{/* */}}</c> is a comment, quotes inside an action may contain <c>}}</c>.
/// </summary>
internal static class TemplateLexer
{
    public static List<TemplateItem> Split(string text)
    {
        var items = new List<TemplateItem>();
        var i = 0;
        var trimNext = false;
        while (i <= text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            var literal = open < 0 ? text.Substring(i) : text.Substring(i, open - i);
            if (trimNext) literal = literal.TrimStart(' ', '\t', '\r', '\n');
            if (open < 0)
            {
                if (literal.Length > 0) items.Add(new TemplateItem(literal, null, i));
                break;
            }
            var bodyStart = open + 2;
            var trimLeft = bodyStart < text.Length && text[bodyStart] == '-' && bodyStart + 1 < text.Length && IsSpace(text[bodyStart + 1]);
            if (trimLeft)
            {
                literal = literal.TrimEnd(' ', '\t', '\r', '\n');
                bodyStart += 2;
            }
            if (literal.Length > 0) items.Add(new TemplateItem(literal, null, i));
            var close = FindClose(text, bodyStart) ?? throw new TemplateException($"unclosed action at offset {open}");
            var bodyEnd = close;
            trimNext = close >= 2 && text[close - 1] == '-' && IsSpace(text[close - 2]);
            if (trimNext) bodyEnd -= 2;
            var body = bodyEnd > bodyStart ? text.Substring(bodyStart, bodyEnd - bodyStart) : string.Empty;
            var trimmed = body.Trim();
            if (!(trimmed.StartsWith("/*", StringComparison.Ordinal) && trimmed.EndsWith("*/", StringComparison.Ordinal)))
                items.Add(new TemplateItem(null, Tokenize(body, open), open));
            i = close + 2;
        }
        return items;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static int? FindClose(string text, int from)
    {
        if (text.IndexOf("/*", from, StringComparison.Ordinal) is var comment && comment >= 0 && text.Substring(from, comment - from).Trim().Length == 0)
        {
            var end = text.IndexOf("*/", comment + 2, StringComparison.Ordinal);
            if (end < 0) return null;
            from = end + 2;
        }
        var quote = '\0';
        for (var i = from; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote != '`') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '`' or '\'') quote = c;
            else if (c == '}' && text[i + 1] == '}') return i;
        }
        return null;
    }

    private static List<Token> Tokenize(string body, int offset)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (IsSpace(c)) { i++; continue; }
            switch (c)
            {
                case '|': tokens.Add(new Token(TokenKind.Pipe, "|", null, Array.Empty<string>())); i++; continue;
                case '(': tokens.Add(new Token(TokenKind.LeftParen, "(", null, Array.Empty<string>())); i++; continue;
                case ')':
                    i++;
                    tokens.Add(new Token(TokenKind.RightParen, ")", null, ReadPath(body, ref i)));
                    continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, ",", null, Array.Empty<string>())); i++; continue;
                case ':' when i + 1 < body.Length && body[i + 1] == '=':
                    tokens.Add(new Token(TokenKind.Declare, ":=", null, Array.Empty<string>())); i += 2; continue;
                case '=': tokens.Add(new Token(TokenKind.Assign, "=", null, Array.Empty<string>())); i++; continue;
                case '"': tokens.Add(new Token(TokenKind.String, "\"", ReadQuoted(body, ref i, offset), Array.Empty<string>())); continue;
                case '`':
                {
                    var end = body.IndexOf('`', i + 1);
                    if (end < 0) throw new TemplateException($"unterminated raw string at offset {offset + i}");
                    tokens.Add(new Token(TokenKind.String, "`", body.Substring(i + 1, end - i - 1), Array.Empty<string>()));
                    i = end + 1;
                    continue;
                }
                case '\'':
                {
                    var end = body.IndexOf('\'', i + 1);
                    if (end < 0) throw new TemplateException($"unterminated character constant at offset {offset + i}");
                    var ch = Unescape(body.Substring(i + 1, end - i - 1), offset + i);
                    tokens.Add(new Token(TokenKind.Number, "'", (long)(ch.Length > 0 ? ch[0] : 0), Array.Empty<string>()));
                    i = end + 1;
                    continue;
                }
                case '.':
                {
                    var path = ReadPath(body, ref i);
                    if (path.Count == 0)
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.Dot, ".", null, Array.Empty<string>()));
                    }
                    else tokens.Add(new Token(TokenKind.Field, "." + string.Join(".", path), null, path));
                    continue;
                }
                case '$':
                {
                    var start = i++;
                    while (i < body.Length && IsWordChar(body[i])) i++;
                    var name = body.Substring(start, i - start);
                    tokens.Add(new Token(TokenKind.Variable, name, null, ReadPath(body, ref i)));
                    continue;
                }
            }
            if (char.IsDigit(c) || ((c == '-' || c == '+') && i + 1 < body.Length && char.IsDigit(body[i + 1])))
            {
                var start = i++;
                while (i < body.Length && (char.IsLetterOrDigit(body[i]) || body[i] is '.' or '_' || ((body[i] is '-' or '+') && body[i - 1] is 'e' or 'E'))) i++;
                tokens.Add(new Token(TokenKind.Number, body.Substring(start, i - start), ParseNumber(body.Substring(start, i - start), offset + start), Array.Empty<string>()));
                continue;
            }
            if (IsWordChar(c))
            {
                var start = i;
                while (i < body.Length && IsWordChar(body[i])) i++;
                var word = body.Substring(start, i - start);
                tokens.Add(word switch
                {
                    "true" => new Token(TokenKind.Bool, word, true, Array.Empty<string>()),
                    "false" => new Token(TokenKind.Bool, word, false, Array.Empty<string>()),
                    "nil" => new Token(TokenKind.Nil, word, null, Array.Empty<string>()),
                    _ => new Token(TokenKind.Identifier, word, null, Array.Empty<string>()),
                });
                continue;
            }
            throw new TemplateException($"unexpected \"{c}\" in command at offset {offset + i}");
        }
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Reads <c>.A.B</c> at <paramref name="i"/>; an empty list when no field name follows.</summary>
    private static IReadOnlyList<string> ReadPath(string body, ref int i)
    {
        List<string>? path = null;
        while (i + 1 < body.Length && body[i] == '.' && (char.IsLetter(body[i + 1]) || body[i + 1] == '_'))
        {
            var start = ++i;
            while (i < body.Length && IsWordChar(body[i])) i++;
            (path ??= new List<string>()).Add(body.Substring(start, i - start));
        }
        return (IReadOnlyList<string>?)path ?? Array.Empty<string>();
    }

    private static string ReadQuoted(string body, ref int i, int offset)
    {
        var start = i++;
        while (i < body.Length && body[i] != '"')
            i += body[i] == '\\' ? 2 : 1;
        if (i >= body.Length) throw new TemplateException($"unterminated quoted string at offset {offset + start}");
        var raw = body.Substring(start + 1, i - start - 1);
        i++;
        return Unescape(raw, offset + start);
    }

    private static string Unescape(string raw, int offset)
    {
        if (raw.IndexOf('\\') < 0) return raw;
        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length) { sb.Append(raw[i]); continue; }
            var e = raw[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' when i + 2 < raw.Length:
                    sb.Append((char)int.Parse(raw.Substring(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                case 'u' when i + 4 < raw.Length:
                    sb.Append((char)int.Parse(raw.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                default: throw new TemplateException($"unknown escape sequence \\{e} at offset {offset + i}");
            }
        }
        return sb.ToString();
    }

    private static object ParseNumber(string text, int offset)
    {
        var t = text.Replace("_", string.Empty);
        var negative = t.StartsWith("-", StringComparison.Ordinal);
        var digits = t.TrimStart('-', '+');
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(digits.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return negative ? -hex : hex;
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        throw new TemplateException($"bad number syntax: \"{text}\" at offset {offset}");
    }
}
