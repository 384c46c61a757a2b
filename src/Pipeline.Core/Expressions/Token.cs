namespace Pipeline.Core.Expressions;

public enum TokenKind
{
    Identifier, String, Number, True, False, Null,
    LeftParen, RightParen, LeftBracket, RightBracket, Comma, Dot, Star,
    Not, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, And, Or,
    End,
}

/// <summary>A token with its offset and length inside the expression text.</summary>
public readonly struct Token
{
    public Token(TokenKind kind, int start, int length, string text, double number = 0)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Text = text;
        Number = number;
    }

    public TokenKind Kind { get; }
    public int Start { get; }
    public int Length { get; }

    /// <summary>Identifier name, decoded string literal or the raw text of the token.</summary>
    public string Text { get; }

    public double Number { get; }
}
