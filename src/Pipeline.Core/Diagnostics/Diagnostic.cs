using System.Globalization;
using Pipeline.Core.Text;

namespace Pipeline.Core.Diagnostics;

/// <summary>One problem found in a workflow file, at a position, with a hint that says how to fix it.</summary>
public sealed class Diagnostic
{
    public Diagnostic(DiagnosticDescriptor descriptor, SourceSpan span, string message, string? hint = null, Severity? severity = null)
    {
        Descriptor = descriptor;
        Span = span;
        Message = message;
        Hint = hint;
        Severity = severity ?? descriptor.DefaultSeverity;
    }

    public DiagnosticDescriptor Descriptor { get; }
    public string Code => Descriptor.Code;
    public SourceSpan Span { get; }
    public string Message { get; }
    public string? Hint { get; }
    public Severity Severity { get; }

    public Diagnostic WithSeverity(Severity severity) => new(Descriptor, Span, Message, Hint, severity);

    /// <summary>
    /// MSBuild's canonical form, <c>path(line,col): error WF2001: message</c>, which Visual Studio,
    /// VS Code problem matchers and CI log parsers turn into links.
    /// </summary>
    public string ToCanonicalString()
    {
        var severity = Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "info",
        };
        return string.Format(CultureInfo.InvariantCulture, "{0}({1},{2}): {3} {4}: {5}", Span.Path, Span.Line, Span.Column, severity, Code, Message);
    }

    public override string ToString() => ToCanonicalString();
}
