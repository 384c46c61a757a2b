using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pipeline.Core.Expressions;

/// <summary>
/// Splits expression text into tokens (GitHub Actions lexical rules: single-quoted strings with ''
/// as the escape, JSON numbers plus hex, octal, NaN and Infinity, identifiers that may contain '-').
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private int _pos;

    private Lexer(string text) => _text = text;

    public static (List<Token> Tokens, ExpressionError? Error) Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var error = lexer.Next(out var token);
            if (error is not null) return (tokens, error);
            tokens.Add(token);
            if (token.Kind == TokenKind.End) return (tokens, null);
        }
    }

    private ExpressionError? Next(out Token token)
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        token = new Token(TokenKind.End, _pos, 0, string.Empty);
        if (_pos >= _text.Length) return null;
        var start = _pos;
        var c = _text[_pos];
        switch (c)
        {
            case '(': return Single(TokenKind.LeftParen, out token);
            case ')': return Single(TokenKind.RightParen, out token);
            case '[': return Single(TokenKind.LeftBracket, out token);
            case ']': return Single(TokenKind.RightBracket, out token);
            case ',': return Single(TokenKind.Comma, out token);
            case '*': return Single(TokenKind.Star, out token);
            case '!': return Pair('=', TokenKind.NotEqual, TokenKind.Not, out token);
            case '<': return Pair('=', TokenKind.LessEqual, TokenKind.Less, out token);
            case '>': return Pair('=', TokenKind.GreaterEqual, TokenKind.Greater, out token);
            case '=':
                if (Peek(1) == '=') { token = new Token(TokenKind.Equal, start, 2, "=="); _pos += 2; return null; }
                return new ExpressionError(ExpressionErrorKind.Syntax, start, 1, "'=' is not an operator", "compare with ==");
            case '&':
                if (Peek(1) == '&') { token = new Token(TokenKind.And, start, 2, "&&"); _pos += 2; return null; }
                return new ExpressionError(ExpressionErrorKind.Syntax, start, 1, "'&' is not an operator", "use && for 'and'");
            case '|':
                if (Peek(1) == '|') { token = new Token(TokenKind.Or, start, 2, "||"); _pos += 2; return null; }
                return new ExpressionError(ExpressionErrorKind.Syntax, start, 1, "'|' is not an operator", "use || for 'or'");
            case '\'': return ReadString(out token);
            case '"':
                return new ExpressionError(ExpressionErrorKind.Syntax, start, 1, "strings in expressions use single quotes", "write 'text', and '' for a quote inside it");
            case '.':
                if (char.IsDigit(Peek(1))) return ReadNumber(out token);
                return Single(TokenKind.Dot, out token);
        }
        if (char.IsDigit(c) || ((c == '-' || c == '+') && (char.IsDigit(Peek(1)) || Peek(1) == '.' || Peek(1) == 'I')))
            return ReadNumber(out token);
        if (char.IsLetter(c) || c == '_')
        {
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_' || _text[_pos] == '-')) _pos++;
            var word = _text.Substring(start, _pos - start);
            token = word switch
            {
                "true" => new Token(TokenKind.True, start, word.Length, word),
                "false" => new Token(TokenKind.False, start, word.Length, word),
                "null" => new Token(TokenKind.Null, start, word.Length, word),
                "NaN" => new Token(TokenKind.Number, start, word.Length, word, double.NaN),
                "Infinity" => new Token(TokenKind.Number, start, word.Length, word, double.PositiveInfinity),
                _ => new Token(TokenKind.Identifier, start, word.Length, word),
            };
            return null;
        }
        return new ExpressionError(ExpressionErrorKind.Syntax, start, 1, $"unexpected character '{c}'", "expressions use names, 'strings', numbers and the operators ! == != < <= > >= && ||");
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private ExpressionError? Single(TokenKind kind, out Token token)
    {
        token = new Token(kind, _pos, 1, _text[_pos].ToString());
        _pos++;
        return null;
    }

    private ExpressionError? Pair(char second, TokenKind two, TokenKind one, out Token token)
    {
        if (Peek(1) == second)
        {
            token = new Token(two, _pos, 2, _text.Substring(_pos, 2));
            _pos += 2;
        }
        else
        {
            token = new Token(one, _pos, 1, _text[_pos].ToString());
            _pos++;
        }
        return null;
    }

    private ExpressionError? ReadString(out Token token)
    {
        var start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                token = default;
                return new ExpressionError(ExpressionErrorKind.Syntax, start, _text.Length - start, "unterminated string", "close the string with '");
            }
            var c = _text[_pos];
            if (c == '\'')
            {
                if (Peek(1) == '\'') { sb.Append('\''); _pos += 2; continue; }
                _pos++;
                break;
            }
            sb.Append(c);
            _pos++;
        }
        token = new Token(TokenKind.String, start, _pos - start, sb.ToString());
        return null;
    }

    private ExpressionError? ReadNumber(out Token token)
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '.' or '+' or '-' || _text[_pos] == '_'))
        {
            // A sign is part of the number only at its start or right after an exponent marker.
            if ((_text[_pos] == '+' || _text[_pos] == '-') && _pos > start && !(_text[_pos - 1] is 'e' or 'E')) break;
            _pos++;
        }
        var raw = _text.Substring(start, _pos - start);
        var value = ExprValue.ParseNumber(raw);
        if (double.IsNaN(value) || raw.EndsWith(".", System.StringComparison.Ordinal))
        {
            token = default;
            return new ExpressionError(ExpressionErrorKind.Syntax, start, raw.Length, $"invalid number '{raw}'", "numbers look like 42, -1.5, 1e3 or 0xff; quote text as 'text'");
        }
        token = new Token(TokenKind.Number, start, raw.Length, raw, value);
        return null;
    }
}
