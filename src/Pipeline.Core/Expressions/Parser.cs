using System;
using System.Collections.Generic;
using System.Linq;

namespace Pipeline.Core.Expressions;

/// <summary>The outcome of parsing: a tree, or the first error with its position.</summary>
public sealed class ParsedExpression
{
    internal ParsedExpression(string text, ExprNode? root, ExpressionError? error)
    {
        Text = text;
        Root = root;
        Error = error;
    }

    public string Text { get; }
    public ExprNode? Root { get; }
    public ExpressionError? Error { get; }
    public bool Success => Root is not null && Error is null;

    /// <summary>True when the expression calls success(), failure(), cancelled() or always().</summary>
    public bool CallsStatusFunction => Root is not null && Root.Descendants().OfType<CallNode>().Any(c => Functions.IsStatusFunction(c.Name));
}

/// <summary>
/// Recursive-descent parser for the expression language. Grammar, loosest first:
/// <code>
/// or   := and ('||' and)*
/// and  := eq  ('&amp;&amp;' eq)*
/// eq   := cmp (('=='|'!=') cmp)*
/// cmp  := un  (('&lt;'|'&lt;='|'&gt;'|'&gt;=') un)*
/// un   := '!' un | post
/// post := prim ('.' (IDENT|'*') | '[' (expr|'*') ']')*
/// prim := literal | IDENT '(' args ')' | IDENT | '(' or ')'
/// </code>
/// Function names and arity are checked here, so a misspelt function is found before anything runs.
/// Nesting is limited to <see cref="MaxDepth"/> levels counted as GitHub Actions counts them: each
/// expression (the whole, a parenthesised one, an argument, an index), each chain of <c>||</c> and of
/// <c>&amp;&amp;</c>, each <c>!</c>, and each property or index access along a path.
/// </summary>
public sealed class Parser
{
    public const int MaxLength = 21000;
    public const int MaxDepth = 50;

    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses a condition or items expression, bare or wrapped whole in <c>${ }</c>.</summary>
    public static ParsedExpression ParseStandalone(string value) => Parse(InterpolatedString.UnwrapWhole(value).Text);

    public static ParsedExpression Parse(string text)
    {
        if (text.Length > MaxLength)
            return new ParsedExpression(text, null, new ExpressionError(ExpressionErrorKind.Syntax, 0, 0, $"expression longer than {MaxLength} characters", "split the logic into several tasks or outputs"));
        var (tokens, lexError) = Lexer.Tokenize(text);
        if (lexError is not null) return new ParsedExpression(text, null, lexError);
        // As in GitHub Actions, an empty expression is null (the validator still refuses an empty condition).
        if (tokens.Count == 1) return new ParsedExpression(text, new LiteralNode(0, 0, ExprValue.Null), null);
        var parser = new Parser(tokens);
        try
        {
            var root = parser.ParseExpression();
            if (parser.Current.Kind != TokenKind.End)
                throw parser.Unexpected("an operator or the end of the expression");
            return new ParsedExpression(text, root, null);
        }
        catch (ParseException ex)
        {
            return new ParsedExpression(text, null, ex.Error);
        }
    }

    private Token Current => _tokens[_index];

    private Token Advance() => _tokens[_index++];

    /// <summary>A whole expression: one level deeper.</summary>
    private ExprNode ParseExpression()
    {
        Enter(Current);
        var node = ParseOr();
        _depth--;
        return node;
    }

    private ExprNode ParseOr()
    {
        var left = ParseAnd();
        if (Current.Kind != TokenKind.Or) return left;
        Enter(Current); // the chain is one level
        while (Current.Kind == TokenKind.Or)
        {
            Advance();
            var right = ParseAnd();
            left = Binary(BinaryOperator.Or, left, right);
        }
        _depth--;
        return left;
    }

    private ExprNode ParseAnd()
    {
        var left = ParseEquality();
        if (Current.Kind != TokenKind.And) return left;
        Enter(Current);
        while (Current.Kind == TokenKind.And)
        {
            Advance();
            var right = ParseEquality();
            left = Binary(BinaryOperator.And, left, right);
        }
        _depth--;
        return left;
    }

    private ExprNode ParseEquality()
    {
        var left = ParseComparison();
        while (Current.Kind is TokenKind.Equal or TokenKind.NotEqual)
        {
            var op = Advance().Kind == TokenKind.Equal ? BinaryOperator.Equal : BinaryOperator.NotEqual;
            left = Binary(op, left, ParseComparison());
        }
        return left;
    }

    private ExprNode ParseComparison()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual)
        {
            var op = Advance().Kind switch
            {
                TokenKind.Less => BinaryOperator.Less,
                TokenKind.LessEqual => BinaryOperator.LessEqual,
                TokenKind.Greater => BinaryOperator.Greater,
                _ => BinaryOperator.GreaterEqual,
            };
            left = Binary(op, left, ParseUnary());
        }
        return left;
    }

    private ExprNode ParseUnary()
    {
        if (Current.Kind != TokenKind.Not) return ParsePostfix();
        var not = Advance();
        Enter(not);
        var operand = ParseUnary();
        _depth--;
        return new NotNode(not.Start, operand.Start + operand.Length - not.Start, operand);
    }

    private ExprNode ParsePostfix()
    {
        var node = ParsePrimary();
        var accesses = 0; // each access along a path is a level, until the path ends
        try
        {
            return ParseAccesses(node, ref accesses);
        }
        finally
        {
            _depth -= accesses;
        }
    }

    private ExprNode ParseAccesses(ExprNode node, ref int accesses)
    {
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Enter(Current);
                accesses++;
                Advance();
                var name = Current;
                if (name.Kind == TokenKind.Star)
                {
                    Advance();
                    node = new WildcardNode(node.Start, name.Start + 1 - node.Start, node);
                    continue;
                }
                // Words the lexer reads as literals are property names after a dot: foo.true, foo.NaN.
                if (name.Kind is not (TokenKind.Identifier or TokenKind.True or TokenKind.False or TokenKind.Null)
                    && !(name.Kind == TokenKind.Number && name.Text is "NaN" or "Infinity"))
                    throw Unexpected("a property name after '.'");
                Advance();
                node = new IndexNode(node.Start, name.Start + name.Length - node.Start, node,
                    new LiteralNode(name.Start, name.Length, ExprValue.String(name.Text)), isDotted: true);
            }
            else if (Current.Kind == TokenKind.LeftBracket)
            {
                var open = Advance();
                if (Current.Kind == TokenKind.Star)
                {
                    Advance();
                    var close = Expect(TokenKind.RightBracket, "']'");
                    node = new WildcardNode(node.Start, close.Start + 1 - node.Start, node);
                }
                else
                {
                    var index = ParseExpression();
                    var close = Expect(TokenKind.RightBracket, "']' to close the index");
                    node = new IndexNode(node.Start, close.Start + 1 - node.Start, node, index, isDotted: false);
                }
                Enter(open);
                accesses++;
            }
            else
            {
                return node;
            }
        }
    }

    private ExprNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExprValue.String(token.Text));
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExprValue.Number(token.Number));
            case TokenKind.True:
            case TokenKind.False:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExprValue.Bool(token.Kind == TokenKind.True));
            case TokenKind.Null:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExprValue.Null);
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseExpression();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            }
            case TokenKind.Identifier:
                Advance();
                if (Current.Kind == TokenKind.LeftParen) return ParseCall(token);
                return new NamedValueNode(token.Start, token.Length, token.Text);
            default:
                throw Unexpected("a value, a name or '('");
        }
    }

    private ExprNode ParseCall(Token name)
    {
        Advance();
        var args = new List<ExprNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                args.Add(ParseExpression());
                if (Current.Kind == TokenKind.Comma) { Advance(); continue; }
                break;
            }
        }
        var close = Expect(TokenKind.RightParen, "')' to close the call");
        if (!Functions.All.TryGetValue(name.Text, out var signature))
        {
            var known = string.Join(", ", Functions.All.Keys.OrderBy(k => k, StringComparer.Ordinal));
            var suggestion = Suggest.Closest(name.Text, Functions.All.Keys);
            throw new ParseException(new ExpressionError(ExpressionErrorKind.UnknownFunction, name.Start, name.Length,
                $"unknown function '{name.Text}'",
                suggestion is null ? $"functions are: {known}" : $"did you mean {suggestion}()? Functions are: {known}"));
        }
        if (args.Count < signature.MinArgs || args.Count > signature.MaxArgs)
        {
            var expected = signature.MinArgs == signature.MaxArgs ? signature.MinArgs.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : signature.MaxArgs == int.MaxValue ? $"at least {signature.MinArgs}" : $"{signature.MinArgs} to {signature.MaxArgs}";
            throw new ParseException(new ExpressionError(ExpressionErrorKind.UnknownFunction, name.Start, close.Start + 1 - name.Start,
                $"{signature.Name}() takes {expected} argument(s), not {args.Count}", $"usage: {signature.Usage}"));
        }
        if (signature.Name == "case" && args.Count % 2 == 0)
            throw new ParseException(new ExpressionError(ExpressionErrorKind.UnknownFunction, name.Start, close.Start + 1 - name.Start,
                $"case() takes an odd number of arguments (pairs of predicate and value, then a default), not {args.Count}", $"usage: {signature.Usage}"));
        return new CallNode(name.Start, close.Start + 1 - name.Start, signature.Name, name.Length, args);
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind) throw Unexpected(what);
        return Advance();
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxDepth)
            throw new ParseException(new ExpressionError(ExpressionErrorKind.Syntax, at.Start, 1, $"expression nested deeper than {MaxDepth} levels", "simplify the expression"));
    }

    private static ExprNode Binary(BinaryOperator op, ExprNode left, ExprNode right) =>
        new BinaryNode(left.Start, right.Start + right.Length - left.Start, op, left, right);

    private ParseException Unexpected(string expected)
    {
        var t = Current;
        var found = t.Kind == TokenKind.End ? "the end of the expression" : $"'{t.Text}'";
        var hint = t.Kind == TokenKind.End ? "the expression is incomplete" : $"{expected} was expected here";
        return new ParseException(new ExpressionError(ExpressionErrorKind.Syntax, t.Start, Math.Max(1, t.Length), $"unexpected {found}: {expected} expected", hint));
    }

    private sealed class ParseException : Exception
    {
        public ParseException(ExpressionError error) : base(error.Message) => Error = error;
        public ExpressionError Error { get; }
    }
}
