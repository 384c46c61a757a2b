using System;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>A template that cannot be parsed or executed; the message reads like Go's ("template: ...").</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message) : base("template: " + message) { }
}
