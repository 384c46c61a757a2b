namespace Pipeline.Core.Diagnostics;

/// <summary>
/// The stable identity of one kind of problem: its code (never reused), a title, the range it
/// belongs to and its default severity. The message of each occurrence is written where it is found.
/// </summary>
public sealed class DiagnosticDescriptor
{
    public DiagnosticDescriptor(string code, string title, DiagnosticCategory category, Severity defaultSeverity, string example)
    {
        Code = code;
        Title = title;
        Category = category;
        DefaultSeverity = defaultSeverity;
        Example = example;
    }

    /// <summary>WF + four digits: WF1xxx syntax and schema, WF2xxx graph, WF3xxx expressions, WF4xxx environment, WF5xxx generated C#.</summary>
    public string Code { get; }

    public string Title { get; }

    public DiagnosticCategory Category { get; }

    public Severity DefaultSeverity { get; }

    /// <summary>A short example of input that produces it, for the documentation table.</summary>
    public string Example { get; }

    public override string ToString() => Code;
}

public enum DiagnosticCategory
{
    Syntax,
    Graph,
    Expression,
    Environment,
    Generation,
}
