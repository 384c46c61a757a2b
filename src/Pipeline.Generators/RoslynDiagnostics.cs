using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Pipeline.Generators.Model;

namespace Pipeline.Generators;

/// <summary>
/// Builds Roslyn diagnostics from the shared catalog's codes, located inside the workflow file, so
/// the build prints <c>workflows/deploy.workflow.json(12,7): error WF2001: ...</c> and the IDE can
/// underline the spot. Severities can be changed per code in .editorconfig
/// (<c>dotnet_diagnostic.WF3004.severity = warning</c>).
/// </summary>
internal static class RoslynDiagnostics
{
    private static readonly ConcurrentDictionary<(string, int), DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic Create(DiagnosticInfo d)
    {
        var severity = d.Severity switch
        {
            2 => DiagnosticSeverity.Error,
            1 => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        };
        var descriptor = Descriptors.GetOrAdd((d.Code, d.Severity), key => new DiagnosticDescriptor(
            d.Code, d.Title, "{0}", "Workflow." + d.Category, severity, isEnabledByDefault: true,
            description: "Listed with an example in the Diagnostics section of Pipeline's README."));
        var location = d.Path.Length == 0
            ? Location.None
            : Location.Create(d.Path, new TextSpan(d.Start, d.Length),
                new LinePositionSpan(new LinePosition(d.Line - 1, d.Column - 1), new LinePosition(d.EndLine - 1, d.EndColumn - 1)));
        return Diagnostic.Create(descriptor, location, d.Message);
    }
}
