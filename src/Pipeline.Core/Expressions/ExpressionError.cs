namespace Pipeline.Core.Expressions;

public enum ExpressionErrorKind
{
    /// <summary>Maps to WF3001.</summary>
    Syntax,
    /// <summary>Maps to WF3007.</summary>
    UnknownFunction,
}

/// <summary>A problem found while parsing an expression, at an offset inside the expression text.</summary>
public sealed class ExpressionError
{
    public ExpressionError(ExpressionErrorKind kind, int start, int length, string message, string hint)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Message = message;
        Hint = hint;
    }

    public ExpressionErrorKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
    public string Message { get; }
    public string Hint { get; }
}
