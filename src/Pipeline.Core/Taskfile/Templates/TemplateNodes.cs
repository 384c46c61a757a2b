using System.Collections.Generic;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>A parsed Go text/template: the tree that <see cref="TemplateEvaluator"/> walks.</summary>
internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

/// <summary><c>{{ pipeline }}</c>: prints the pipeline's value, unless it declares or assigns a variable.</summary>
internal sealed record ActionNode(PipelineNode Pipeline) : TemplateNode;

/// <summary><c>if</c>, <c>range</c> and <c>with</c>; an <c>else if</c> is an <see cref="IfNode"/> alone in <see cref="Else"/>.</summary>
internal sealed record IfNode(PipelineNode Condition, IReadOnlyList<TemplateNode> Then, IReadOnlyList<TemplateNode>? Else) : TemplateNode;

internal sealed record RangeNode(PipelineNode Pipeline, IReadOnlyList<TemplateNode> Body, IReadOnlyList<TemplateNode>? Else) : TemplateNode;

internal sealed record WithNode(PipelineNode Pipeline, IReadOnlyList<TemplateNode> Body, IReadOnlyList<TemplateNode>? Else) : TemplateNode;

/// <summary><c>break</c> and <c>continue</c> inside a range.</summary>
internal sealed record LoopControlNode(bool IsBreak) : TemplateNode;

/// <summary>
/// Commands joined by '|': each command's value is passed as the last argument of the next one.
/// <see cref="Declarations"/> are the <c>$x :=</c> (or <c>$i, $e :=</c> in range) names, <see cref="IsAssignment"/> for <c>$x =</c>.
/// </summary>
internal sealed record PipelineNode(IReadOnlyList<string> Declarations, bool IsAssignment, IReadOnlyList<CommandNode> Commands);

internal sealed record CommandNode(IReadOnlyList<ArgNode> Args);

internal abstract record ArgNode;

/// <summary><c>.A.B</c> on the current value (<c>.</c> alone has an empty path).</summary>
internal sealed record FieldArg(IReadOnlyList<string> Path) : ArgNode;

/// <summary><c>$x.A</c>; <c>$</c> is the template's root data.</summary>
internal sealed record VariableArg(string Name, IReadOnlyList<string> Path) : ArgNode;

/// <summary>A function name: called with the command's other arguments.</summary>
internal sealed record FunctionArg(string Name) : ArgNode;

internal sealed record LiteralArg(object? Value) : ArgNode;

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed record SubPipelineArg(PipelineNode Pipeline, IReadOnlyList<string> Path) : ArgNode;
