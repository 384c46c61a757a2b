using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>Walks a parsed template with Go's rules for dot, variables, pipelines and blocks.</summary>
internal sealed class TemplateEvaluator
{
    private enum Flow { Normal, Break, Continue }

    private readonly IReadOnlyDictionary<string, object?> _root;
    private readonly List<KeyValuePair<string, object?>> _variables = new();

    public TemplateEvaluator(IReadOnlyDictionary<string, object?> root)
    {
        _root = root;
        _variables.Add(new KeyValuePair<string, object?>("$", root));
    }

    public string Render(IReadOnlyList<TemplateNode> nodes)
    {
        var sb = new StringBuilder();
        Execute(nodes, _root, sb);
        return sb.ToString();
    }

    public object? Evaluate(PipelineNode pipeline) => EvalPipeline(pipeline, _root);

    private Flow Execute(IReadOnlyList<TemplateNode> nodes, object? dot, StringBuilder sb)
    {
        var mark = _variables.Count;
        try
        {
            foreach (var node in nodes)
            {
                var flow = ExecuteNode(node, dot, sb);
                if (flow != Flow.Normal) return flow;
            }
            return Flow.Normal;
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private Flow ExecuteNode(TemplateNode node, object? dot, StringBuilder sb)
    {
        switch (node)
        {
            case TextNode t:
                sb.Append(t.Text);
                return Flow.Normal;
            case ActionNode a:
            {
                var value = EvalPipeline(a.Pipeline, dot);
                if (a.Pipeline.Declarations.Count == 0) sb.Append(GoValues.Format(value));
                return Flow.Normal;
            }
            case IfNode i:
            {
                var mark = _variables.Count;
                var truth = GoValues.IsTrue(EvalPipeline(i.Condition, dot));
                try
                {
                    if (truth) return Execute(i.Then, dot, sb);
                    return i.Else is null ? Flow.Normal : Execute(i.Else, dot, sb);
                }
                finally { _variables.RemoveRange(mark, _variables.Count - mark); }
            }
            case WithNode w:
            {
                var mark = _variables.Count;
                var value = EvalPipeline(w.Pipeline, dot);
                try
                {
                    if (GoValues.IsTrue(value)) return Execute(w.Body, value, sb);
                    return w.Else is null ? Flow.Normal : Execute(w.Else, dot, sb);
                }
                finally { _variables.RemoveRange(mark, _variables.Count - mark); }
            }
            case RangeNode r:
                return ExecuteRange(r, dot, sb);
            case LoopControlNode l:
                return l.IsBreak ? Flow.Break : Flow.Continue;
            default:
                throw new TemplateException($"unknown node {node.GetType().Name}");
        }
    }

    private Flow ExecuteRange(RangeNode r, object? dot, StringBuilder sb)
    {
        var pipe = r.Pipeline;
        var value = EvalCommands(pipe.Commands, dot);
        var items = new List<KeyValuePair<object?, object?>>();
        switch (value)
        {
            case null: break;
            case IDictionary<string, object?> map:
                foreach (var k in map.Keys.OrderBy(k => k, StringComparer.Ordinal)) items.Add(new KeyValuePair<object?, object?>(k, map[k]));
                break;
            case string s:
                throw new TemplateException($"range can't iterate over {s}");
            case IList list:
                for (var i = 0; i < list.Count; i++) items.Add(new KeyValuePair<object?, object?>((long)i, list[i]));
                break;
            case long n:
                for (long i = 0; i < n; i++) items.Add(new KeyValuePair<object?, object?>(i, i));
                break;
            default:
                throw new TemplateException($"range can't iterate over {GoValues.Format(value)}");
        }
        if (items.Count == 0) return r.Else is null ? Flow.Normal : Execute(r.Else, dot, sb);
        foreach (var item in items)
        {
            var mark = _variables.Count;
            if (pipe.Declarations.Count == 1) Declare(pipe.Declarations[0], item.Value);
            else if (pipe.Declarations.Count == 2)
            {
                Declare(pipe.Declarations[0], item.Key);
                Declare(pipe.Declarations[1], item.Value);
            }
            var flow = Execute(r.Body, item.Value, sb);
            _variables.RemoveRange(mark, _variables.Count - mark);
            if (flow == Flow.Break) break;
        }
        return Flow.Normal;
    }

    private void Declare(string name, object? value) => _variables.Add(new KeyValuePair<string, object?>(name, value));

    private object? EvalPipeline(PipelineNode pipe, object? dot)
    {
        var value = EvalCommands(pipe.Commands, dot);
        if (pipe.Declarations.Count > 0)
        {
            if (!pipe.IsAssignment) Declare(pipe.Declarations[0], value);
            else
            {
                var index = _variables.FindLastIndex(v => v.Key == pipe.Declarations[0]);
                if (index < 0) throw new TemplateException($"undefined variable: {pipe.Declarations[0]}");
                _variables[index] = new KeyValuePair<string, object?>(pipe.Declarations[0], value);
            }
        }
        return value;
    }

    private object? EvalCommands(IReadOnlyList<CommandNode> commands, object? dot)
    {
        object? value = null;
        var piped = false;
        foreach (var command in commands)
        {
            value = EvalCommand(command, dot, piped, value);
            piped = true;
        }
        return value;
    }

    private object? EvalCommand(CommandNode command, object? dot, bool piped, object? input)
    {
        var first = command.Args[0];
        if (first is FunctionArg f)
        {
            if (f.Name is "and" or "or") return EvalLogic(f.Name, command.Args.Skip(1).ToList(), dot, piped, input);
            var args = new List<object?>(command.Args.Count);
            for (var i = 1; i < command.Args.Count; i++) args.Add(EvalArg(command.Args[i], dot));
            if (piped) args.Add(input);
            return TemplateFunctions.Call(f.Name, args);
        }
        if (command.Args.Count > 1 || piped)
            throw new TemplateException($"can't give argument to non-function {Describe(first)}");
        return EvalArg(first, dot);
    }

    /// <summary><c>and</c>/<c>or</c> stop at the first argument that decides the result, as Go 1.18+ does.</summary>
    private object? EvalLogic(string name, List<ArgNode> args, object? dot, bool piped, object? input)
    {
        var count = args.Count + (piped ? 1 : 0);
        if (count < 1) throw new TemplateException($"wrong number of args for {name}: want at least 1 got 0");
        object? value = null;
        for (var i = 0; i < count; i++)
        {
            value = i < args.Count ? EvalArg(args[i], dot) : input;
            if (name == "and" ? !GoValues.IsTrue(value) : GoValues.IsTrue(value)) return value;
        }
        return value;
    }

    private object? EvalArg(ArgNode arg, object? dot) => arg switch
    {
        FieldArg fa => Walk(dot, fa.Path),
        VariableArg va => Walk(Lookup(va.Name), va.Path),
        LiteralArg la => la.Value,
        SubPipelineArg sp => Walk(EvalPipeline(sp.Pipeline, dot), sp.Path),
        FunctionArg fn => TemplateFunctions.Call(fn.Name, new List<object?>()),
        _ => throw new TemplateException("unknown argument"),
    };

    private object? Lookup(string name)
    {
        for (var i = _variables.Count - 1; i >= 0; i--)
            if (_variables[i].Key == name) return _variables[i].Value;
        throw new TemplateException($"undefined variable \"{name}\"");
    }

    /// <summary>
    /// Field access on maps. A missing key is nil (printed "&lt;no value&gt;", which go-task blanks);
    /// a field of nil is nil too, so <c>.A.B</c> on an undefined A renders empty instead of failing.
    /// </summary>
    private static object? Walk(object? value, IReadOnlyList<string> path)
    {
        foreach (var name in path)
        {
            switch (value)
            {
                case null: return null;
                case IReadOnlyDictionary<string, object?> ro:
                    value = ro.TryGetValue(name, out var v1) ? v1 : null;
                    break;
                case IDictionary<string, object?> map:
                    value = map.TryGetValue(name, out var v2) ? v2 : null;
                    break;
                default:
                    throw new TemplateException($"can't evaluate field {name} in type {GoValues.TypeName(value)}");
            }
        }
        return value;
    }

    private static string Describe(ArgNode arg) => arg switch
    {
        FieldArg fa => "." + string.Join(".", fa.Path),
        VariableArg va => va.Name,
        LiteralArg la => GoValues.Format(la.Value),
        _ => "(pipeline)",
    };
}
