using Spectre.Console;

namespace Pipeline.Cli.Running;

/// <summary>
/// Interactive mode (seed §10.3): when a terminal is attached, a missing argument is asked for (with
/// the choices there are) instead of failing. Without a terminal (CI, pipes) nothing ever waits for input.
/// </summary>
public static class Prompting
{
    /// <summary>Both ends are a terminal, and the output is not machine-read.</summary>
    public static bool Possible => !Console.IsInputRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static string Choose(string title, IReadOnlyList<string> choices) =>
        AnsiConsole.Prompt(new SelectionPrompt<string>().Title(title).PageSize(15).AddChoices(choices));
}
