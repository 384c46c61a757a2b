using System;

namespace Pipeline.Core.Expressions;

/// <summary>An expression that parsed but could not be evaluated (bad format string, invalid JSON for fromJSON).</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(string message) : base(message) { }
}
