namespace Pipeline.Generators.Model;

/// <summary>
/// A diagnostic as plain values (code, severity, text, position), so results that carry diagnostics
/// stay comparable between runs; the Roslyn <c>Diagnostic</c> is built only when it is reported.
/// Lines and columns are 1-based, as in the shared validator.
/// </summary>
internal sealed record DiagnosticInfo(
    string Code,
    string Title,
    string Category,
    int Severity,
    string Message,
    string Path,
    int Start,
    int Length,
    int Line,
    int Column,
    int EndLine,
    int EndColumn);
