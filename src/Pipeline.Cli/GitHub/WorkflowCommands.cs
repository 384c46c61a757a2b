using Pipeline.Core.Diagnostics;

namespace Pipeline.Cli.GitHub;

/// <summary>
/// GitHub Actions' workflow commands (<c>::error file=…::message</c>, <c>::group::</c>), written when a
/// run is on Actions (<c>GITHUB_ACTIONS=true</c>): Actions turns them into annotations on the files
/// and folds the groups in the log. Values are escaped as the runner expects (%, CR and LF in
/// messages; also : and , in properties).
/// </summary>
public static class WorkflowCommands
{
    public static bool Detected => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    /// <summary>An annotation at the diagnostic's span, titled with its code.</summary>
    public static string Annotation(Diagnostic d)
    {
        var level = d.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };
        var s = d.Span;
        var where = s.Line > 0
            ? $"file={Property(Relative(s.Path))},line={s.Line},col={s.Column},endLine={Math.Max(s.Line, s.EndLine)},endColumn={Math.Max(s.Column, s.EndColumn)},"
            : $"file={Property(Relative(s.Path))},";
        return $"::{level} {where}title={Property(d.Code)}::{Data(d.Message + (d.Hint is null ? "" : $" (hint: {d.Hint})"))}";
    }

    public static string Error(string? file, int line, string title, string message) =>
        $"::error {(file is null ? "" : $"file={Property(Relative(file))},{(line > 0 ? $"line={line}," : "")}")}title={Property(title)}::{Data(message)}";

    public static string Group(string title) => $"::group::{Data(title)}";

    public const string EndGroup = "::endgroup::";

    /// <summary>Paths relative to the repository (GITHUB_WORKSPACE), as annotations need them.</summary>
    private static string Relative(string path)
    {
        var workspace = Environment.GetEnvironmentVariable("GITHUB_WORKSPACE");
        var full = Path.GetFullPath(path);
        return !string.IsNullOrEmpty(workspace) && full.StartsWith(Path.GetFullPath(workspace) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Path.GetRelativePath(workspace, full).Replace('\\', '/')
            : path.Replace('\\', '/');
    }

    public static string Data(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    public static string Property(string value) => Data(value).Replace(":", "%3A").Replace(",", "%2C");
}
