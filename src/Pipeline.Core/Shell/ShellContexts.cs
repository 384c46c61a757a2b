using System;
using System.Collections.Generic;
using System.Text;

namespace Pipeline.Core.Shell;

/// <summary>Where an expression stands in an sh or bash script, as far as quoting goes.</summary>
public enum ShellPlace
{
    Unquoted,
    DoubleQuoted,
    SingleQuoted,

    /// <summary>Inside bash's <c>$'…'</c>, where a backslash escapes the next character (<c>\'</c> too).</summary>
    AnsiCQuoted,

    /// <summary>The body of <c>&lt;&lt;EOF</c>: expanded like double quotes, but quote characters are plain text.</summary>
    Heredoc,

    /// <summary>The body of <c>&lt;&lt;'EOF'</c>: nothing is expanded, the text is data.</summary>
    QuotedHeredoc,
}

/// <summary>What the shell does with the text at an expression's place.</summary>
public sealed class ShellSpot
{
    public ShellPlace Place { get; internal set; }

    /// <summary>
    /// bash evaluates the contents of a variable here as arithmetic, and arithmetic runs
    /// <c>$(…)</c> inside array subscripts: <c>$(( ))</c>, <c>(( ))</c>, <c>let</c>, the operands of
    /// <c>[[ … -eq … ]]</c>, and array subscripts (<c>${a[…]}</c>, <c>a[…]=</c>). Only an integer is safe here.
    /// </summary>
    public bool Arithmetic { get; internal set; }

    /// <summary>An argument of <c>eval</c>, which runs its arguments as code whatever their quoting.</summary>
    public bool Eval { get; internal set; }

    /// <summary>For a heredoc body: the delimiter line that ends it (a value holding that line would end it early).</summary>
    public string? HeredocDelimiter { get; internal set; }

    /// <summary>For <c>&lt;&lt;-</c>: leading tabs are stripped before the delimiter is compared.</summary>
    public bool HeredocStripsTabs { get; internal set; }
}

/// <summary>
/// Reads an sh/bash script with holes where expressions go, and tells for each hole where it stands:
/// in which quotes, in a heredoc, in arithmetic, or in an <c>eval</c>. It is a scanner for placing
/// values safely, not a shell parser: it follows quotes (<c>'…'</c>, <c>"…"</c>, <c>$'…'</c>,
/// backslashes), comments, heredocs (<c>&lt;&lt;</c>, <c>&lt;&lt;-</c>, quoted delimiters, several on
/// one line), <c>$(( ))</c>/<c>(( ))</c>, <c>[[ ]]</c>, subscripts and the first word of each command.
/// </summary>
public static class ShellContexts
{
    private static readonly HashSet<string> ArithmeticOperators = new(StringComparer.Ordinal) { "-eq", "-ne", "-lt", "-le", "-gt", "-ge" };
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "if", "then", "elif", "else", "do", "while", "until", "!", "time", "{", "(" };

    /// <summary>Where each <c>${…}</c> of a command stands, in the order of its expression segments.</summary>
    public static IReadOnlyList<ShellSpot> Analyze(Expressions.InterpolatedString command)
    {
        var texts = new List<string> { "" };
        foreach (var segment in command.Segments)
        {
            if (segment is Expressions.TextSegment text) texts[texts.Count - 1] += text.Text;
            else texts.Add("");
        }
        return Analyze(texts);
    }

    /// <param name="texts">The script's text around the holes: one more piece than there are holes.</param>
    public static IReadOnlyList<ShellSpot> Analyze(IReadOnlyList<string> texts)
    {
        var scanner = new Scanner();
        var spots = new List<ShellSpot>();
        for (var i = 0; i < texts.Count; i++)
        {
            scanner.Feed(texts[i]);
            if (i + 1 < texts.Count) spots.Add(scanner.Hole());
        }
        return spots;
    }

    private enum Quote { None, Single, Double, AnsiC }

    private sealed class Scanner
    {
        private Quote _quote;
        private int _arithmetic;          // open $(( or ((
        private int _subscripts;          // open [ of a subscript
        private bool _inDoubleBracket;
        private readonly StringBuilder _bracket = new();   // text since [[
        private ShellSpot? _awaitingOperator;              // a hole in [[ ]] whose next token decides
        private readonly StringBuilder _command = new();   // the current simple command, for its first word
        private readonly Queue<(string Delimiter, bool Quoted, bool StripTabs)> _pendingHeredocs = new();
        private (string Delimiter, bool Quoted, bool StripTabs)? _heredoc; // inside a body
        private readonly StringBuilder _line = new();
        private bool _lineHasHole;
        private char _previous = '\n';

        public ShellSpot Hole()
        {
            var spot = new ShellSpot();
            if (_heredoc is { } h)
            {
                spot.Place = h.Quoted ? ShellPlace.QuotedHeredoc : ShellPlace.Heredoc;
                spot.HeredocDelimiter = h.Delimiter;
                spot.HeredocStripsTabs = h.StripTabs;
                _lineHasHole = true;
                _previous = 'x';
                return spot;
            }
            spot.Place = _quote switch
            {
                Quote.Single => ShellPlace.SingleQuoted,
                Quote.Double => ShellPlace.DoubleQuoted,
                Quote.AnsiC => ShellPlace.AnsiCQuoted,
                _ => ShellPlace.Unquoted,
            };
            var first = FirstWord(_command.ToString());
            spot.Eval = first == "eval";
            spot.Arithmetic = _arithmetic > 0 || _subscripts > 0 || (first == "let" && _quote != Quote.Single);
            if (_inDoubleBracket && _quote == Quote.None)
            {
                if (ArithmeticOperators.Contains(LastToken(_bracket.ToString()))) spot.Arithmetic = true;
                else _awaitingOperator = spot;
                _bracket.Append(" \u0001 ");
            }
            if (_quote == Quote.None) _command.Append('\u0001'); // the hole is (part of) a word
            _previous = 'x';
            return spot;
        }

        public void Feed(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (_heredoc is not null) { Body(c); continue; }
                switch (_quote)
                {
                    case Quote.Single:
                        if (c == '\'') _quote = Quote.None;
                        break;
                    case Quote.AnsiC:
                        if (c == '\\') i++;
                        else if (c == '\'') _quote = Quote.None;
                        break;
                    case Quote.Double:
                        if (c == '\\') i++;
                        else if (c == '"') _quote = Quote.None;
                        else if (c == ')' && i + 1 < text.Length && text[i + 1] == ')' && _arithmetic > 0) { _arithmetic--; i++; }
                        else if (c == ']' && _subscripts > 0) _subscripts--;
                        else Expansions(text, ref i);
                        break;
                    default:
                        i = Unquoted(text, i);
                        break;
                }
                if (i < text.Length) _previous = text[i];
            }
        }

        /// <summary>One character (or construct) outside quotes; returns the index of the last character it used.</summary>
        private int Unquoted(string text, int i)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '\\') { _command.Append(c); return i + 1; }
            if (c == '#' && IsWordStart(_previous))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++; // a comment: quotes inside do not count
                return i;
            }
            if (c == '$' && next == '\'') { _quote = Quote.AnsiC; return i + 1; }
            if (c == '\'') { _quote = Quote.Single; _command.Append(c); return i; }
            if (c == '"') { _quote = Quote.Double; _command.Append(c); return i; }
            if (c == '<' && next == '<' && (i + 2 >= text.Length || text[i + 2] != '<')) return Heredoc(text, i + 2);
            if (c == '(' && next == '(' && IsWordStart(_previous)) { _arithmetic++; return i + 1; }
            if (c == ')' && next == ')' && _arithmetic > 0) { _arithmetic--; return i + 1; }
            if (c == '[' && next == '[' && IsWordStart(_previous)) { _inDoubleBracket = true; _bracket.Clear(); return i + 1; }
            if (c == ']' && next == ']' && _inDoubleBracket) { _inDoubleBracket = false; _awaitingOperator = null; return i + 1; }
            if (c == '[' && IsAssignmentSubscript()) { _subscripts++; _command.Append(c); return i; }
            if (c == ']' && _subscripts > 0) { _subscripts--; _command.Append(c); return i; }
            if (Expansions(text, ref i)) return i;
            if (_inDoubleBracket)
            {
                _bracket.Append(c);
                if (_awaitingOperator is not null && !char.IsWhiteSpace(c))
                {
                    var token = NextToken(text, i);
                    if (ArithmeticOperators.Contains(token)) _awaitingOperator.Arithmetic = true;
                    _awaitingOperator = null;
                }
            }
            if (c == '\n' && _pendingHeredocs.Count > 0)
            {
                _heredoc = _pendingHeredocs.Dequeue();
                _line.Clear();
                _lineHasHole = false;
                _command.Clear();
                return i;
            }
            if (c is '\n' or ';' or '&' or '|' or '(' or ')' or '{' or '}' or '`') _command.Clear();
            else _command.Append(c);
            return i;
        }

        /// <summary>$(( and ${name[ open arithmetic, in double quotes as well as outside them.</summary>
        private bool Expansions(string text, ref int i)
        {
            if (text[i] != '$') return false;
            if (i + 2 < text.Length && text[i + 1] == '(' && text[i + 2] == '(')
            {
                _arithmetic++;
                i += 2;
                return true;
            }
            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                var j = i + 2;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_')) j++;
                if (j < text.Length && j > i + 2 && text[j] == '[')
                {
                    _subscripts++;
                    i = j;
                    return true;
                }
            }
            return false;
        }

        /// <summary><c>name[</c> as the first word of a command: an assignment to an array element.</summary>
        private bool IsAssignmentSubscript()
        {
            var command = _command.ToString().TrimStart();
            if (command.Length == 0 || command.IndexOfAny(new[] { ' ', '\t' }) >= 0) return false;
            foreach (var ch in command) if (!(char.IsLetterOrDigit(ch) || ch == '_')) return false;
            return !char.IsDigit(command[0]);
        }

        /// <summary>Reads the delimiter word after &lt;&lt; (or &lt;&lt;-); its body starts at the next line.</summary>
        private int Heredoc(string text, int i)
        {
            var stripTabs = i < text.Length && text[i] == '-';
            if (stripTabs) i++;
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            var word = new StringBuilder();
            var quoted = false;
            char inQuote = '\0';
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (inQuote != '\0')
                {
                    if (c == inQuote) inQuote = '\0';
                    else word.Append(c);
                    continue;
                }
                if (c is '\'' or '"') { quoted = true; inQuote = c; continue; }
                if (c == '\\' && i + 1 < text.Length) { quoted = true; word.Append(text[++i]); continue; }
                if (char.IsWhiteSpace(c) || c is ';' or '&' or '|' or '<' or '>' or '(' or ')') break;
                word.Append(c);
            }
            if (word.Length > 0) _pendingHeredocs.Enqueue((word.ToString(), quoted, stripTabs));
            _command.Append(" <<x ");
            return i - 1;
        }

        private void Body(char c)
        {
            if (c != '\n')
            {
                _line.Append(c);
                return;
            }
            var h = _heredoc!.Value;
            var line = h.StripTabs ? _line.ToString().TrimStart('\t') : _line.ToString();
            if (!_lineHasHole && line == h.Delimiter)
                _heredoc = _pendingHeredocs.Count > 0 ? _pendingHeredocs.Dequeue() : null;
            _line.Clear();
            _lineHasHole = false;
            _previous = '\n';
        }

        private static bool IsWordStart(char previous) => char.IsWhiteSpace(previous) || previous is ';' or '&' or '|' or '(' or ')' or '{' or '}' or '\n';

        /// <summary>The command's name: its first word after keywords and NAME=value assignments.</summary>
        private static string FirstWord(string command)
        {
            foreach (var word in command.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (Keywords.Contains(word)) continue;
                var eq = word.IndexOf('=');
                if (eq > 0 && word.Substring(0, eq).IndexOfAny(new[] { '"', '\'', '$', '\u0001' }) < 0) continue; // X=1 cmd
                return word;
            }
            return "";
        }

        private static string LastToken(string text)
        {
            var words = text.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 0 ? "" : words[words.Length - 1];
        }

        private static string NextToken(string text, int i)
        {
            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            return text.Substring(i, end - i);
        }
    }
}
