using System.Text.RegularExpressions;

namespace Pipeline.Core.Validation;

/// <summary>The naming rule for workflows (seed §3): kebab-case, lowercase words joined by <c>-</c>.</summary>
public static class WorkflowNames
{
    private static readonly Regex KebabCase = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    public static bool IsKebabCase(string name) => KebabCase.IsMatch(name);

    /// <summary>The kebab-case spelling of a name ("NightlyBackup" → "nightly-backup"), for hints.</summary>
    public static string ToKebabCase(string name)
    {
        var b = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1])) b.Append('-');
            b.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        var text = Regex.Replace(b.ToString(), "-+", "-").Trim('-');
        return text.Length == 0 ? "my-workflow" : text;
    }
}
