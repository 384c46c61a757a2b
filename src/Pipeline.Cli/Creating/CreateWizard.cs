using Pipeline.Core.Scheduling;
using Pipeline.Core.Validation;
using Spectre.Console;

namespace Pipeline.Cli.Creating;

/// <summary>
/// The questions of <c>workflow create</c> on a terminal (seed §3), asked only for what the flags left
/// open: name, description, category, trigger and its settings, environment, secrets, notifications,
/// then tasks one by one. Each answer is checked as it is given, so the file it writes validates.
/// </summary>
public sealed class CreateWizard(IAnsiConsole console, Func<string, bool> fileExists)
{
    /// <summary>Categories offered; any other can be typed after choosing "other".</summary>
    public static IReadOnlyList<string> Categories { get; } = ["build", "test", "deployment", "maintenance", "data", "monitoring", "other"];

    public string AskName() => console.Prompt(new TextPrompt<string>("Workflow name (kebab-case, e.g. nightly-backup):")
        .Validate(name => !WorkflowNames.IsKebabCase(name)
            ? ValidationResult.Error($"not kebab-case; try {WorkflowNames.ToKebabCase(name)}")
            : fileExists(name) ? ValidationResult.Error($"workflows/{name}.workflow.json exists; choose another name") : ValidationResult.Success()));

    public string? AskDescription() => console.Prompt(new TextPrompt<string>("Description (what it does, one line; Enter to skip):").AllowEmpty()) is { Length: > 0 } d ? d : null;

    public string AskCategory()
    {
        var choice = Select("Category:", Categories);
        return choice == "other" ? console.Prompt(new TextPrompt<string>("Category name:")) : choice;
    }

    public string AskTrigger() => Select("What starts it?", WorkflowDraft.Triggers, t => t switch
        {
            "manual" => "manual (workflow run)",
            "schedule" => "schedule (cron)",
            "webhook" => "webhook (an HTTP call to workflow serve)",
            _ => "file_change (files under a path change)",
        });

    /// <summary>Asks for a cron expression until one parses and the user agrees with its reading in plain English.</summary>
    public string AskCron()
    {
        while (true)
        {
            var cron = console.Prompt(new TextPrompt<string>("Cron schedule (minute hour day month weekday)").DefaultValue("0 2 * * *")
                .Validate(c => CronSchedule.TryParse(c, out var error) is null ? ValidationResult.Error(error!) : ValidationResult.Success()));
            var next = CronSchedule.Next(CronSchedule.TryParse(cron, out _)!, DateTimeOffset.UtcNow, TimeZoneInfo.Utc, 3);
            console.MarkupLineInterpolated($"  [green]{CronSchedule.Describe(cron)}[/]; next (UTC): {string.Join(", ", next.Select(n => n.ToString("ddd yyyy-MM-dd HH:mm")))}");
            if (console.Confirm("Is that the schedule you want?")) return cron;
        }
    }

    public string? AskTimezone() => console.Prompt(new TextPrompt<string>("Time zone (IANA, e.g. Europe/Paris; Enter for the server's):").AllowEmpty()
        .Validate(z => z.Length == 0 || TimeZoneInfo.TryFindSystemTimeZoneById(z, out _) ? ValidationResult.Success() : ValidationResult.Error($"no time zone {z} on this machine"))) is { Length: > 0 } zone ? zone : null;

    public string AskWebhookPath(string name) => console.Prompt(new TextPrompt<string>("Webhook path").DefaultValue("/hooks/" + name)
        .Validate(p => p.StartsWith('/') ? ValidationResult.Success() : ValidationResult.Error("a path starts with /")));

    public IReadOnlyList<string> AskWatchPaths() => Split(console.Prompt(new TextPrompt<string>("Paths to watch (globs, comma-separated)").DefaultValue("src/**")));

    public IReadOnlyList<KeyValuePair<string, string>> AskEnvironment()
    {
        var list = new List<KeyValuePair<string, string>>();
        while (console.Prompt(new TextPrompt<string>("Environment variable (KEY=value; Enter when done):").AllowEmpty()
            .Validate(e => e.Length == 0 || e.IndexOf('=') > 0 ? ValidationResult.Success() : ValidationResult.Error("write KEY=value"))) is { Length: > 0 } pair)
        {
            var eq = pair.IndexOf('=');
            list.Add(new(pair[..eq].Trim(), pair[(eq + 1)..]));
        }
        return list;
    }

    public IReadOnlyList<string> AskSecrets() => Split(console.Prompt(new TextPrompt<string>("Secrets it needs (names, comma-separated; Enter for none):").AllowEmpty()));

    public IReadOnlyList<string> AskChannels() => MultiSelect("Notify which channels? (Space to pick, Enter when done; none is fine)", WorkflowDraft.ChannelNames);

    public string AskNotifyOn() => Select("Notify on:", WorkflowDraft.NotifyEvents);

    /// <summary>Tasks one at a time; dependencies are chosen among the tasks written so far.</summary>
    public IReadOnlyList<TaskDraft> AskTasks()
    {
        var tasks = new List<TaskDraft>();
        do
        {
            console.MarkupLineInterpolated($"[bold]Task {tasks.Count + 1}[/]");
            tasks.Add(AskTask(tasks));
        }
        while (console.Confirm("Add another task?", defaultValue: false));
        return tasks;
    }

    private TaskDraft AskTask(IReadOnlyList<TaskDraft> before)
    {
        var id = console.Prompt(new TextPrompt<string>("Task id:").Validate(i =>
            !System.Text.RegularExpressions.Regex.IsMatch(i, "^[A-Za-z0-9_-]+$") ? ValidationResult.Error("letters, digits, - and _ only")
            : before.Any(t => t.Id == i) ? ValidationResult.Error($"there is already a task {i}") : ValidationResult.Success()));
        var type = Select("Type:", TaskDraft.Types.Select(t => t.Type));
        var (_, field, question, example) = TaskDraft.Types.First(t => t.Type == type);
        var fields = new List<KeyValuePair<string, string>> { new(field, console.Prompt(new TextPrompt<string>($"{question}").DefaultValue(example))) };
        switch (type)
        {
            case "http":
                fields.Add(new("method", Select("Method:", ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"])));
                break;
            case "docker" when console.Prompt(new TextPrompt<string>("Command in the container (Enter for the image's own):").AllowEmpty()) is { Length: > 0 } command:
                fields.Add(new("command", command));
                break;
            case "sql":
                fields.Add(new("query", console.Prompt(new TextPrompt<string>("Query").DefaultValue("SELECT 1"))));
                break;
        }
        IReadOnlyList<string> needs = before.Count == 0 ? [] : MultiSelect("Runs after (Space to pick, Enter when done; none runs it first)", before.Select(t => t.Id));
        var timeout = console.Prompt(new TextPrompt<string>("Timeout (seconds, or 10m, 1h; Enter for none):").AllowEmpty()
            .Validate(t => t.Length == 0 || System.Text.RegularExpressions.Regex.IsMatch(t, @"^\d+(ms|s|m|h)?$") ? ValidationResult.Success() : ValidationResult.Error("e.g. 90, 10m or 1h")));
        var retries = console.Prompt(new TextPrompt<int>("Retries after a failure").DefaultValue(0)
            .Validate(r => r is >= 0 and <= 20 ? ValidationResult.Success() : ValidationResult.Error("0 to 20")));
        return new TaskDraft(id, type) { Fields = fields, DependsOn = needs, Timeout = timeout.Length > 0 ? timeout : null, Attempts = retries + 1 };
    }

    /// <summary>A selection that leaves its answer on the screen (Spectre clears the list once chosen).</summary>
    private string Select(string title, IEnumerable<string> choices, Func<string, string>? display = null)
    {
        var prompt = new SelectionPrompt<string>().Title(title).AddChoices(choices);
        if (display is not null) prompt.UseConverter(display);
        var choice = console.Prompt(prompt);
        console.MarkupLineInterpolated($"{title} [blue]{choice}[/]");
        return choice;
    }

    private IReadOnlyList<string> MultiSelect(string title, IEnumerable<string> choices)
    {
        var chosen = console.Prompt(new MultiSelectionPrompt<string>().Title(title).NotRequired().AddChoices(choices));
        console.MarkupLineInterpolated($"{title[..title.IndexOf(" (", StringComparison.Ordinal)]}: [blue]{(chosen.Count == 0 ? "none" : string.Join(", ", chosen))}[/]");
        return chosen;
    }

    private static IReadOnlyList<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
