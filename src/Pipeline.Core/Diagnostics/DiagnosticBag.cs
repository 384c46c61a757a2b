using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Text;

namespace Pipeline.Core.Diagnostics;

/// <summary>Collects diagnostics while a file is read and validated.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Report(DiagnosticDescriptor descriptor, SourceSpan span, string message, string? hint = null, Severity? severity = null) =>
        _items.Add(new Diagnostic(descriptor, span, message, hint, severity));

    /// <summary>Diagnostics in file order, errors first at equal positions.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items.OrderBy(d => d.Span.Path, System.StringComparer.Ordinal)
              .ThenBy(d => d.Span.Start)
              .ThenByDescending(d => d.Severity)
              .ThenBy(d => d.Code, System.StringComparer.Ordinal)
              .ToList();
}
