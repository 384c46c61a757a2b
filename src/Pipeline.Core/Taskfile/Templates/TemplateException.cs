using System;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>A template that cannot be parsed or executed; the message reads like Go's ("template: ...").</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message, int? offset = null) : base("template: " + message) => Offset = offset;

    /// <summary>Where in the template text the problem is, when known (the start of its action).</summary>
    public int? Offset { get; }
}
