namespace Pipeline.Engine.Executors;

/// <summary>
/// Recognises commands a shell would only split into words: letters, digits, spaces and
/// <c>- _ . / : , + @ %</c>, on one line, with no variable assignment in front. Such a command means
/// the same run directly as through <c>sh -c</c>, and skipping the shell halves the cost of small
/// tasks (make does the same). Anything else (quotes, <c>$</c>, pipes, globs, redirections,
/// <c>;</c>, <c>&amp;</c>, newlines, backslashes, <c>~</c>) goes through the shell.
/// </summary>
public static class SimpleCommand
{
    public static string[]? TrySplit(string command)
    {
        foreach (var c in command)
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/' or ':' or ',' or '+' or '@' or '%'))
                return null;
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : words;
    }
}
