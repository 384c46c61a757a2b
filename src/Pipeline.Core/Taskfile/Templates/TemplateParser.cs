using System;
using System.Collections.Generic;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>Builds the <see cref="TemplateNode"/> tree from the lexer's items: actions, if/else/range/with blocks, pipelines.</summary>
internal sealed class TemplateParser
{
    /// <summary>
    /// Blocks ({{if}}, {{with}}, {{range}}) inside one another, and parentheses inside one action, may
    /// nest this deep. The parser recurses per level, so without a limit a generated or hostile
    /// Taskfile could overflow the stack and kill the process; no hand-written template comes close.
    /// </summary>
    public const int MaxDepth = 100;

    private readonly List<TemplateItem> _items;
    private int _next;
    private int _blockDepth;

    private TemplateParser(List<TemplateItem> items) => _items = items;

    public static IReadOnlyList<TemplateNode> Parse(string text)
    {
        var parser = new TemplateParser(TemplateLexer.Split(text));
        var nodes = parser.ParseList(out var stop);
        if (stop is not null) throw new TemplateException($"unexpected {{{{{stop}}}}}");
        return nodes;
    }

    /// <summary>Parses nodes until end of input or a block keyword (<c>end</c>, <c>else</c>), returned in <paramref name="stop"/>.</summary>
    private List<TemplateNode> ParseList(out string? stop, int loopDepth = 0)
    {
        var nodes = new List<TemplateNode>();
        stop = null;
        while (_next < _items.Count)
        {
            var item = _items[_next++];
            if (item.Text is not null)
            {
                nodes.Add(new TextNode(item.Text));
                continue;
            }
            var tokens = item.Tokens!;
            if (tokens.Count == 0) throw new TemplateException($"missing value for command at offset {item.Offset}");
            var keyword = tokens[0].Kind == TokenKind.Identifier ? tokens[0].Text : null;
            switch (keyword)
            {
                case "end":
                    stop = "end";
                    return nodes;
                case "else":
                    stop = "else";
                    _next--; // the block reads the else item itself (it may be "else if")
                    return nodes;
                case "if":
                    Enter(item.Offset);
                    nodes.Add(ParseIf(tokens, item.Offset, loopDepth));
                    _blockDepth--;
                    break;
                case "range":
                {
                    var pipe = ParsePipeline(tokens, 1, item.Offset, allowDeclarations: true);
                    Enter(item.Offset);
                    var (body, otherwise) = ParseBlockBody("range", item.Offset, loopDepth + 1);
                    _blockDepth--;
                    nodes.Add(new RangeNode(pipe, body, otherwise));
                    break;
                }
                case "with":
                {
                    var pipe = ParsePipeline(tokens, 1, item.Offset, allowDeclarations: true);
                    Enter(item.Offset);
                    var (body, otherwise) = ParseBlockBody("with", item.Offset, loopDepth);
                    _blockDepth--;
                    nodes.Add(new WithNode(pipe, body, otherwise));
                    break;
                }
                case "break" or "continue":
                    if (loopDepth == 0) throw new TemplateException($"{{{{{keyword}}}}} outside {{{{range}}}}");
                    nodes.Add(new LoopControlNode(keyword == "break"));
                    break;
                case "define" or "template" or "block":
                    throw new TemplateException($"\"{keyword}\" is not supported in Taskfile templates");
                default:
                    nodes.Add(new ActionNode(ParsePipeline(tokens, 0, item.Offset, allowDeclarations: true)));
                    break;
            }
        }
        return nodes;
    }

    private void Enter(int offset)
    {
        if (++_blockDepth > MaxDepth)
            throw new TemplateException($"blocks nested deeper than {MaxDepth} levels at offset {offset}", offset);
    }

    private IfNode ParseIf(IReadOnlyList<Token> tokens, int offset, int loopDepth)
    {
        var condition = ParsePipeline(tokens, 1, offset, allowDeclarations: true);
        var (then, otherwise) = ParseBlockBody("if", offset, loopDepth);
        return new IfNode(condition, then, otherwise);
    }

    /// <summary>The body of a block and its optional else part (an <c>else if</c> becomes a nested if that shares the end).</summary>
    private (List<TemplateNode> Body, List<TemplateNode>? Else) ParseBlockBody(string block, int offset, int loopDepth)
    {
        var body = ParseList(out var stop, loopDepth);
        if (stop is null) throw new TemplateException($"unexpected EOF: {{{{{block}}}}} at offset {offset} has no {{{{end}}}}");
        if (stop == "end") return (body, null);
        var elseItem = _items[_next++];
        var tokens = elseItem.Tokens!;
        if (tokens.Count > 1 && tokens[1].Kind == TokenKind.Identifier && tokens[1].Text is "if" or "with")
        {
            // "else if x" / "else with x": a nested block whose {{end}} is also the outer block's end
            var rest = new List<Token>(tokens);
            rest.RemoveAt(0);
            Enter(elseItem.Offset);
            TemplateNode nested;
            if (rest[0].Text == "if") nested = ParseIf(rest, elseItem.Offset, loopDepth);
            else
            {
                var pipe = ParsePipeline(rest, 1, elseItem.Offset, allowDeclarations: true);
                var (wb, we) = ParseBlockBody("with", elseItem.Offset, loopDepth);
                nested = new WithNode(pipe, wb, we);
            }
            _blockDepth--;
            return (body, new List<TemplateNode> { nested });
        }
        if (tokens.Count > 1) throw new TemplateException($"unexpected \"{tokens[1].Text}\" after else at offset {elseItem.Offset}");
        var otherwise = ParseList(out stop, loopDepth);
        if (stop != "end") throw new TemplateException($"expected {{{{end}}}} for {{{{{block}}}}} at offset {offset}");
        return (body, otherwise);
    }

    private static PipelineNode ParsePipeline(IReadOnlyList<Token> tokens, int start, int offset, bool allowDeclarations)
    {
        var pos = start;
        var pipe = ParsePipeline(tokens, ref pos, offset, allowDeclarations, depth: 0);
        if (pos < tokens.Count) throw new TemplateException($"unexpected \"{tokens[pos].Text}\" in command at offset {offset}");
        return pipe;
    }

    private static PipelineNode ParsePipeline(IReadOnlyList<Token> tokens, ref int pos, int offset, bool allowDeclarations, int depth)
    {
        if (depth > MaxDepth) throw new TemplateException($"parentheses nested deeper than {MaxDepth} levels at offset {offset}", offset);
        var declarations = new List<string>();
        var assignment = false;
        if (allowDeclarations && pos < tokens.Count && tokens[pos].Kind == TokenKind.Variable && tokens[pos].Path.Count == 0)
        {
            var look = pos;
            var names = new List<string> { tokens[look++].Text };
            if (look + 1 < tokens.Count && tokens[look].Kind == TokenKind.Comma && tokens[look + 1].Kind == TokenKind.Variable)
            {
                names.Add(tokens[look + 1].Text);
                look += 2;
            }
            if (look < tokens.Count && tokens[look].Kind is TokenKind.Declare or TokenKind.Assign)
            {
                assignment = tokens[look].Kind == TokenKind.Assign;
                declarations = names;
                pos = look + 1;
            }
        }
        var commands = new List<CommandNode>();
        while (true)
        {
            var args = new List<ArgNode>();
            while (pos < tokens.Count && tokens[pos].Kind is not (TokenKind.Pipe or TokenKind.RightParen))
                args.Add(ParseArg(tokens, ref pos, offset, depth));
            if (args.Count == 0) throw new TemplateException($"missing value for command at offset {offset}");
            commands.Add(new CommandNode(args));
            if (pos < tokens.Count && tokens[pos].Kind == TokenKind.Pipe)
            {
                pos++;
                continue;
            }
            break;
        }
        return new PipelineNode(declarations, assignment, commands);
    }

    private static ArgNode ParseArg(IReadOnlyList<Token> tokens, ref int pos, int offset, int depth)
    {
        var t = tokens[pos++];
        switch (t.Kind)
        {
            case TokenKind.Field: return new FieldArg(t.Path);
            case TokenKind.Dot: return new FieldArg(Array.Empty<string>());
            case TokenKind.Variable: return new VariableArg(t.Text, t.Path);
            case TokenKind.Identifier:
                // as in Go, an unknown function is a parse error, so validation finds it before a run
                if (t.Text is not ("and" or "or") && !TemplateFunctions.Exists(t.Text)) throw new TemplateException($"function \"{t.Text}\" not defined");
                return new FunctionArg(t.Text);
            case TokenKind.String or TokenKind.Number or TokenKind.Bool or TokenKind.Nil: return new LiteralArg(t.Value);
            case TokenKind.LeftParen:
            {
                var inner = ParsePipeline(tokens, ref pos, offset, allowDeclarations: false, depth + 1);
                if (pos >= tokens.Count || tokens[pos].Kind != TokenKind.RightParen)
                    throw new TemplateException($"unclosed left paren at offset {offset}");
                var path = tokens[pos++].Path;
                return new SubPipelineArg(inner, path);
            }
            default: throw new TemplateException($"unexpected \"{t.Text}\" in operand at offset {offset}");
        }
    }
}
