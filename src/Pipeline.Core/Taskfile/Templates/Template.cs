using System;
using System.Collections.Generic;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>
/// A Go text/template as go-task uses it (<c>{{.VERSION}}</c>, <c>{{if eq .OS "linux"}}</c>,
/// <c>{{range .LIST}}</c>, <c>{{.X | default "d"}}</c>), with slim-sprig's and go-task's functions.
/// Parsed once, rendered many times. Hand-written because no maintained .NET library implements Go
/// templates; the subset is documented in docs/taskfile.md.
/// </summary>
public sealed class Template
{
    private readonly IReadOnlyList<TemplateNode> _nodes;

    private Template(string text, IReadOnlyList<TemplateNode> nodes)
    {
        Text = text;
        _nodes = nodes;
    }

    public string Text { get; }

    /// <summary>Whether the text has an action at all; go-task leaves a string without <c>{{</c> untouched.</summary>
    public static bool HasActions(string text) => text.IndexOf("{{", StringComparison.Ordinal) >= 0;

    /// <exception cref="TemplateException">The template is malformed.</exception>
    public static Template Parse(string text) => new(text, TemplateParser.Parse(text));

    /// <summary>
    /// Renders with <paramref name="data"/> as '.'. As go-task does, "&lt;no value&gt;" (a missing variable) becomes "".
    /// </summary>
    /// <exception cref="TemplateException">A function failed, or is unknown.</exception>
    public string Render(IReadOnlyDictionary<string, object?> data) =>
        new TemplateEvaluator(data).Render(_nodes).Replace("<no value>", string.Empty);

    /// <summary>Renders <paramref name="text"/> once; text without <c>{{</c> is returned as is.</summary>
    public static string Render(string text, IReadOnlyDictionary<string, object?> data) =>
        HasActions(text) ? Parse(text).Render(data) : text;

    /// <summary>
    /// The value of one pipeline, keeping its type: go-task's <c>ref: .LIST</c> or <c>ref: fromJson .S</c>.
    /// </summary>
    public static object? Evaluate(string pipeline, IReadOnlyDictionary<string, object?> data)
    {
        var nodes = TemplateParser.Parse("{{" + pipeline + "}}");
        if (nodes.Count != 1 || nodes[0] is not ActionNode action)
            throw new TemplateException($"\"{pipeline}\" is not a single expression");
        return new TemplateEvaluator(data).Evaluate(action.Pipeline);
    }
}
