using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;
using Pipeline.Generators.Model;

namespace Pipeline.Generators.Parsing;

/// <summary>Turns the shared validator's diagnostics (and the generator's own) into comparable values.</summary>
internal static class DiagnosticInfos
{
    public static DiagnosticInfo From(Diagnostic d)
    {
        var message = d.Hint is { Length: > 0 } hint ? $"{d.Message} ({hint})" : d.Message;
        return Make(d.Descriptor, (int)d.Severity, message, d.Span);
    }

    public static DiagnosticInfo Make(DiagnosticDescriptor descriptor, string message, SourceSpan span) =>
        Make(descriptor, (int)descriptor.DefaultSeverity, message, span);

    private static DiagnosticInfo Make(DiagnosticDescriptor descriptor, int severity, string message, SourceSpan span) => new(
        descriptor.Code, descriptor.Title, descriptor.Category.ToString(), severity, message,
        span.Path ?? string.Empty, span.Start, span.Length,
        System.Math.Max(1, span.Line), System.Math.Max(1, span.Column), System.Math.Max(1, span.EndLine), System.Math.Max(1, span.EndColumn));
}
