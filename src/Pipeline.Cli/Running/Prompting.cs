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

    public static string Choose(string title, IReadOnlyList<string> choices, Func<string, string>? display = null)
    {
        var prompt = new SelectionPrompt<string>().Title(title).PageSize(15).AddChoices(choices);
        if (display is not null) prompt.UseConverter(c => Markup.Escape(display(c)));
        return AnsiConsole.Prompt(prompt);
    }

    /// <summary>
    /// A value the command line left out: chosen among <paramref name="choices"/> on a terminal;
    /// without one (or with nothing to choose from), null after writing <paramref name="missing"/> and the choices.
    /// </summary>
    public static string? GivenOrChosen(string? given, string title, IReadOnlyList<string> choices, string missing, TextWriter error, Func<string, string>? display = null)
    {
        if (given is not null) return given;
        if (Possible && choices.Count > 0) return Choose(title, choices, display);
        error.WriteLine($"workflow: {missing}{(choices.Count > 0 ? $"; one of: {string.Join(", ", choices)}" : "")}");
        return null;
    }

    /// <summary>
    /// An execution id the command line left out, chosen on a terminal among <paramref name="executions"/>
    /// (id, workflow, status as <paramref name="status"/> words it, start time); null with why otherwise.
    /// </summary>
    public static string? ExecutionGivenOrChosen(string? given, IReadOnlyList<Pipeline.State.ExecutionRecord> executions, TextWriter error,
        Func<Pipeline.State.ExecutionRecord, string>? status = null)
    {
        var byId = executions.ToDictionary(e => e.Id, StringComparer.Ordinal);
        return GivenOrChosen(given, "Which execution?", [.. executions.Select(e => e.Id)], "give an execution id (workflow history lists them)", error,
            id => $"{id}  {byId[id].Workflow,-24} {status?.Invoke(byId[id]) ?? byId[id].Status,-12} {byId[id].StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}");
    }
}
