using System.Collections.Generic;

namespace Pipeline.Core.Expressions;

/// <summary>A node of a parsed expression, with its offset and length inside the expression text.</summary>
public abstract class ExprNode
{
    protected ExprNode(int start, int length)
    {
        Start = start;
        Length = length;
    }

    public int Start { get; }
    public int Length { get; }

    /// <summary>Every node of the tree, depth first, this one included.</summary>
    public IEnumerable<ExprNode> Descendants()
    {
        var stack = new Stack<ExprNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var child in node.Children()) stack.Push(child);
        }
    }

    protected virtual IEnumerable<ExprNode> Children() => System.Array.Empty<ExprNode>();
}

public sealed class LiteralNode : ExprNode
{
    public LiteralNode(int start, int length, ExprValue value) : base(start, length) => Value = value;
    public ExprValue Value { get; }
}

/// <summary>A root name such as <c>env</c>, <c>tasks</c> or <c>item</c>.</summary>
public sealed class NamedValueNode : ExprNode
{
    public NamedValueNode(int start, int length, string name) : base(start, length) => Name = name;
    public string Name { get; }
}

/// <summary><c>target.name</c> or <c>target['name']</c> or <c>target[expr]</c>.</summary>
public sealed class IndexNode : ExprNode
{
    public IndexNode(int start, int length, ExprNode target, ExprNode index, bool isDotted) : base(start, length)
    {
        Target = target;
        Index = index;
        IsDotted = isDotted;
    }

    public ExprNode Target { get; }
    public ExprNode Index { get; }

    /// <summary>True for <c>a.b</c>; then <see cref="Index"/> is a string literal holding the name.</summary>
    public bool IsDotted { get; }

    protected override IEnumerable<ExprNode> Children() => new[] { Index, Target };
}

/// <summary><c>target.*</c> or <c>target[*]</c>: the values of an object or array.</summary>
public sealed class WildcardNode : ExprNode
{
    public WildcardNode(int start, int length, ExprNode target) : base(start, length) => Target = target;
    public ExprNode Target { get; }
    protected override IEnumerable<ExprNode> Children() => new[] { Target };
}

public sealed class CallNode : ExprNode
{
    public CallNode(int start, int length, string name, int nameLength, IReadOnlyList<ExprNode> arguments) : base(start, length)
    {
        Name = name;
        NameLength = nameLength;
        Arguments = arguments;
    }

    public string Name { get; }
    public int NameLength { get; }
    public IReadOnlyList<ExprNode> Arguments { get; }
    protected override IEnumerable<ExprNode> Children() => Arguments;
}

public sealed class NotNode : ExprNode
{
    public NotNode(int start, int length, ExprNode operand) : base(start, length) => Operand = operand;
    public ExprNode Operand { get; }
    protected override IEnumerable<ExprNode> Children() => new[] { Operand };
}

public enum BinaryOperator { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, And, Or }

public sealed class BinaryNode : ExprNode
{
    public BinaryNode(int start, int length, BinaryOperator op, ExprNode left, ExprNode right) : base(start, length)
    {
        Operator = op;
        Left = left;
        Right = right;
    }

    public BinaryOperator Operator { get; }
    public ExprNode Left { get; }
    public ExprNode Right { get; }
    protected override IEnumerable<ExprNode> Children() => new[] { Right, Left };
}
