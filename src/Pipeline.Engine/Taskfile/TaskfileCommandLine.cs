namespace Pipeline.Engine.Taskfile;

/// <summary>What `workflow run -t` and a build project share when they take go-task's command line and ask its prompts.</summary>
public static class TaskfileCommandLine
{
    /// <summary><c>NAME=value</c> with a variable name before the <c>=</c>, as go-task reads its arguments.</summary>
    public static bool IsVariable(string argument)
    {
        var eq = argument.IndexOf('=');
        return eq > 0 && argument[..eq].All(c => char.IsLetterOrDigit(c) || c == '_');
    }

    /// <summary>A <c>prompt:</c> asked on the terminal (y/N on stderr); null without one (CI), which cancels the task.</summary>
    public static Func<string, bool>? ConsolePrompt => Console.IsInputRedirected ? null : Ask;

    private static bool Ask(string question)
    {
        Console.Error.Write($"{question} [y/N]: ");
        var answer = Console.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
