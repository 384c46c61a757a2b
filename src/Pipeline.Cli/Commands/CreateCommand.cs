using System.CommandLine;
using Pipeline.Cli.Creating;
using Pipeline.Cli.Output;
using Pipeline.Cli.Running;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Scheduling;
using Pipeline.Core.Validation;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow create</c>: the creation wizard (seed §3). Every question has a flag; on a terminal the
/// wizard asks the ones the flags left open, without one (or with <c>--yes</c>) it takes the defaults
/// and never waits. Writes <c>workflows/&lt;name&gt;.workflow.json</c> at the repository root with a
/// <c>$schema</c> beside it, validates it first, and prints the next commands.
/// </summary>
public static class CreateCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name", "-n") { Description = "The workflow's name (kebab-case)" };
        var description = new Option<string?>("--description", "-d") { Description = "One line on what it does" };
        var category = new Option<string?>("--category") { Description = "Its category: " + string.Join(", ", CreateWizard.Categories.SkipLast(1)) + ", or your own" };
        var trigger = new Option<string?>("--trigger") { Description = "What starts it: manual (default), schedule, webhook, file_change" };
        trigger.AcceptOnlyFromAmong([.. WorkflowDraft.Triggers]);
        var cron = new Option<string?>("--cron") { Description = "The schedule, 5 or 6 cron fields (implies --trigger schedule)" };
        var timezone = new Option<string?>("--timezone") { Description = "The schedule's IANA time zone (default: the server's)" };
        var webhookPath = new Option<string?>("--webhook-path") { Description = "The webhook's path under workflow serve (default /hooks/<name>; implies --trigger webhook)" };
        var watch = new Option<string[]>("--watch") { Description = "A glob to watch (repeatable; implies --trigger file_change)", AllowMultipleArgumentsPerToken = false };
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable KEY=value (repeatable)" };
        var secret = new Option<string[]>("--secret") { Description = "A secret the workflow needs, by name (repeatable)" };
        var notify = new Option<string[]>("--notify") { Description = "A channel to notify: slack, email, webhook, console (repeatable)" };
        notify.AcceptOnlyFromAmong([.. WorkflowDraft.ChannelNames]);
        var notifyOn = new Option<string?>("--notify-on") { Description = "When channels hear of a run: failure (default), success, completion" };
        notifyOn.AcceptOnlyFromAmong([.. WorkflowDraft.NotifyEvents]);
        var task = new Option<string[]>("--task", "-t") { Description = "A task: id=…,type=shell|http|docker|javascript|python|sql,<field>=…,depends_on=a+b,timeout=10m,retry=2 (repeatable, in order)" };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: workflows/<name>.workflow.json at the repository root)" };
        var force = new Option<bool>("--force") { Description = "Overwrite the file when it exists" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Ask nothing: what no flag gives takes its default" };
        var command = new Command("create", """
            Creates a workflow. On a terminal it asks, one question at a time, for what the flags do not
            give: name, description, category, trigger (a cron schedule is read back in plain English
            with its next times), environment variables, secrets, notifications, then the tasks (type,
            its command, URL or image, what it runs after, timeout, retries). Without a terminal, or with
            --yes, it asks nothing: --name and at least one --task are then required.

            The file is validated before it is written; `$schema` points at workflow.schema.json, written
            beside it, so editors complete and check the fields. Conditional, parallel and loop tasks nest
            other tasks: add them in the file.

            A --task is comma-separated key=value pairs; quote a value that holds commas:
              id=build,command="dotnet build -c Release"                 (type shell is the default)
              id=smoke,type=http,url=https://example.com/healthz,depends_on=deploy,retry=3
              id=pack,type=docker,image=alpine:3.20,command="tar czf out.tgz out",depends_on=build+test
              id=report,type=sql,connection=${secrets.DB},query="SELECT count(*) FROM orders"

            Examples:
              workflow create
              workflow create --name nightly-backup --cron "0 2 * * *" --task 'id=dump,command="pg_dump shop > shop.sql"' --yes
              workflow create -n api-deploy --trigger webhook --notify slack --task id=build,command="dotnet publish" --task id=ping,type=http,url=https://api.example.com/healthz,depends_on=build

            Exit codes: 0 written, 2 a bad or missing answer (name, cron, task, an existing file without --force).
            """)
        {
            name, description, category, trigger, cron, timezone, webhookPath, watch, env, secret, notify, notifyOn, task, output, force, yes,
        };
        command.SetAction(parse =>
        {
            var error = Console.Error;
            var interactive = Prompting.Possible && !parse.GetValue(yes);
            var root = RepositoryRoot.Find(".") ?? Directory.GetCurrentDirectory();
            string PathFor(string n) => parse.GetValue(output) ?? Path.Combine(root, "workflows", n + ".workflow.json");
            var force_ = parse.GetValue(force);
            var wizard = new CreateWizard(AnsiConsole.Console, n => !force_ && File.Exists(PathFor(n)));

            var workflowName = parse.GetValue(name);
            if (workflowName is null)
            {
                if (!interactive) return Fail("name the workflow with --name (no terminal to ask on)");
                workflowName = wizard.AskName();
            }
            if (!WorkflowNames.IsKebabCase(workflowName))
                return Fail($"--name \"{workflowName}\" is not kebab-case (lowercase words joined by -), e.g. \"{WorkflowNames.ToKebabCase(workflowName)}\"");
            var path = PathFor(workflowName);
            if (File.Exists(path) && !force_)
                return Fail($"{Relative(path)} exists; pass --force to overwrite it, or another --name/--output");

            var draft = new WorkflowDraft(workflowName)
            {
                Description = parse.GetValue(description) ?? (interactive ? wizard.AskDescription() : null),
                Category = parse.GetValue(category) ?? (interactive ? wizard.AskCategory() : null),
            };

            var triggerType = parse.GetValue(trigger)
                ?? (parse.GetValue(cron) is not null ? "schedule"
                : parse.GetValue(webhookPath) is not null ? "webhook"
                : parse.GetValue(watch) is { Length: > 0 } ? "file_change"
                : interactive ? wizard.AskTrigger() : "manual");
            draft = draft with { Trigger = triggerType };
            switch (triggerType)
            {
                case "schedule":
                    var schedule = parse.GetValue(cron);
                    if (schedule is null && !interactive) return Fail("--trigger schedule needs --cron, e.g. --cron \"0 2 * * *\" (02:00 every day)");
                    if (schedule is not null && CronSchedule.TryParse(schedule, out var cronError) is null) return Fail($"--cron \"{schedule}\": {cronError}");
                    var zone = parse.GetValue(timezone);
                    if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return Fail($"--timezone \"{zone}\" is not a time zone on this machine (IANA names, e.g. Europe/Paris)");
                    draft = draft with { Cron = schedule ?? wizard.AskCron(), Timezone = zone ?? (interactive ? wizard.AskTimezone() : null) };
                    break;
                case "webhook":
                    var hook = parse.GetValue(webhookPath);
                    if (hook is not null && !hook.StartsWith('/')) return Fail($"--webhook-path \"{hook}\" must start with /, e.g. /hooks/{workflowName}");
                    draft = draft with { WebhookPath = hook ?? (interactive ? wizard.AskWebhookPath(workflowName) : null) };
                    break;
                case "file_change":
                    var globs = parse.GetValue(watch) ?? [];
                    if (globs.Length == 0 && !interactive) return Fail("--trigger file_change needs --watch <glob>, e.g. --watch 'src/**'");
                    draft = draft with { WatchPaths = globs.Length > 0 ? globs : wizard.AskWatchPaths() };
                    break;
            }

            var variables = new List<KeyValuePair<string, string>>();
            foreach (var pair in parse.GetValue(env) ?? [])
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) return Fail($"--env \"{pair}\" is not KEY=value");
                variables.Add(new(pair[..eq], pair[(eq + 1)..]));
            }
            var anySetting = variables.Count > 0 || parse.GetValue(secret) is { Length: > 0 } || parse.GetValue(notify) is { Length: > 0 };
            // Once any of these came as flags, the user has said what they want; the rest are not asked.
            var askRest = interactive && !anySetting;
            draft = draft with
            {
                Environment = variables.Count > 0 ? variables : askRest ? wizard.AskEnvironment() : [],
                Secrets = parse.GetValue(secret) is { Length: > 0 } s ? s : askRest ? wizard.AskSecrets() : [],
            };
            var channels = parse.GetValue(notify) is { Length: > 0 } given ? given : askRest ? wizard.AskChannels() : [];
            draft = draft with
            {
                Channels = channels,
                NotifyOn = parse.GetValue(notifyOn) ?? (interactive && channels.Count > 0 ? wizard.AskNotifyOn() : "failure"),
            };

            var tasks = new List<TaskDraft>();
            foreach (var spec in parse.GetValue(task) ?? [])
            {
                if (TaskDraft.Parse(spec, out var taskError) is not { } parsed) return Fail(taskError!);
                tasks.Add(parsed);
            }
            if (tasks.Count == 0 && !interactive)
                return Fail("give at least one --task, e.g. --task 'id=build,command=\"dotnet build\"' (no terminal to ask on)");
            draft = draft with { Tasks = tasks.Count > 0 ? tasks : wizard.AskTasks() };

            return Write(draft, path, error);
        });
        return command;

        static int Fail(string message)
        {
            Console.Error.WriteLine($"workflow: {message}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>Validates the draft as the file it becomes; writes it (and the schema beside it) only when it has no errors.</summary>
    private static int Write(WorkflowDraft draft, string path, TextWriter error)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var text = draft.ToJson("./" + SchemaFile.Name);
        var read = WorkflowLoader.Read(path, System.Text.Encoding.UTF8.GetBytes(text), WorkflowFileKind.WorkflowJson);
        var diagnostics = WorkflowValidator.Validate(read).Where(d => d.Severity != Severity.Info).ToList();
        foreach (var d in diagnostics) TextReporter.WriteDiagnostic(error, d, null);
        if (diagnostics.Any(d => d.Severity == Severity.Error))
        {
            error.WriteLine($"workflow: {Relative(path)} not written: the answers make an invalid workflow (above)");
            return ExitCodes.InvalidInput;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, text);
        var schema = SchemaFile.WriteBeside(folder);
        Console.Out.WriteLine($"Wrote {Relative(path)} ({draft.Tasks.Count} task(s), trigger {draft.Trigger}){(schema is null ? "" : $" and {Relative(schema)}")}.");
        Console.Out.WriteLine("Next:");
        Console.Out.WriteLine($"  workflow validate {Relative(path)}");
        Console.Out.WriteLine($"  workflow run {draft.Name} --dry-run");
        Console.Out.WriteLine($"  workflow run {draft.Name}");
        if (draft.Trigger is "schedule") Console.Out.WriteLine($"  workflow schedule install {draft.Name} --with cron   (or let workflow serve run it)");
        if (draft.Trigger is "webhook" or "file_change") Console.Out.WriteLine("  workflow serve");
        return ExitCodes.Success;
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
