using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipeline.Generators.Naming;

/// <summary>
/// Turns workflow names, task ids and variable names into C# identifiers: words split at anything
/// that is not a letter or digit, each word capitalised (<c>pre-build</c> → <c>PreBuild</c>,
/// <c>API_URL</c> → <c>ApiUrl</c>, <c>docs:serve</c> → <c>DocsServe</c>), a leading digit prefixed
/// with '_', a keyword escaped with '@'. Null when nothing of the name is left.
/// </summary>
internal static class Identifiers
{
    public static string? ToPascalCase(string name)
    {
        var result = new StringBuilder(name.Length);
        var word = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c)) word.Append(c);
            else Flush(word, result);
        }
        Flush(word, result);
        if (result.Length == 0) return null;
        var text = result.ToString();
        if (char.IsDigit(text[0])) text = "_" + text;
        foreach (var c in text)
            if (!SyntaxFacts.IsIdentifierPartCharacter(c)) return null;
        return SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None ? "@" + text : text;
    }

    private static void Flush(StringBuilder word, StringBuilder result)
    {
        if (word.Length == 0) return;
        var text = word.ToString();
        var allUpper = text.Length > 1;
        foreach (var c in text)
            if (char.IsLetter(c) && !char.IsUpper(c)) { allUpper = false; break; }
        result.Append(char.ToUpperInvariant(text[0]));
        result.Append(allUpper ? text.Substring(1).ToLowerInvariant() : text.Substring(1));
        word.Clear();
    }
}
