using System.CommandLine;
using System.Text.Json;
using Pipeline.Cli.Running;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Scheduling;
using Pipeline.Core.Validation;
using Pipeline.Scheduling.Cron;
using Pipeline.Scheduling.Targets;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow schedule list|install|remove</c>: the workflows with a schedule trigger, and their
/// installation into the machine's own scheduler (crontab, a systemd timer), each an exact
/// equivalent of the cron expression or refused with the reason.
/// </summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", """
            Scheduled workflows: list them, or install them into the machine's scheduler.

            A workflow with "trigger": { "type": "schedule", "config": { "schedule": "0 2 * * *" } }
            runs on that schedule once installed:
              workflow schedule install nightly --with cron      a crontab line (crontab -l shows it)
              workflow schedule install nightly --with systemd   a .service and a .timer in ~/.config/systemd/user
              workflow schedule install nightly --with systemd --system   the same in /etc/systemd/system
              workflow schedule install nightly --with windows   Task Scheduler XML, and the schtasks command
              workflow schedule remove nightly --with cron
              workflow schedule list                              schedules, next fire times, where installed

            The installed command runs `workflow run <file> --trigger schedule` by absolute paths in
            the workflow's directory, records into --state-dir and appends its output to
            <state-dir>/schedule/<name>.log. An expression a scheduler cannot run exactly as written
            (seconds or a time zone for crontab, W or # for systemd...) is refused with the reason.
            On a terminal, a left-out workflow or --with is asked for.

            Examples:
              workflow schedule list
              workflow schedule install nightly-backup --with systemd
              workflow schedule remove nightly-backup --with cron

            Exit codes: 0 done, 1 the scheduler refused (no crontab, systemd-analyze verify failed),
            2 an invalid workflow, no schedule, an expression the scheduler cannot run exactly, or
            --with left out without a terminal to ask on.
            """);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Install(remove: false));
        command.Subcommands.Add(Install(remove: true));
        return command;
    }

    private static Option<string> StateDir() => new("--state-dir") { Description = "Where the scheduled runs are recorded (and their log written) (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };

    private static Command List()
    {
        var paths = new Argument<string[]>("path") { Description = "Workflow files or directories (default: those `workflow validate` finds here)", Arity = ArgumentArity.ZeroOrMore };
        var stateDir = StateDir();
        var list = new Command("list", "Every workflow with a schedule: its cron, in plain English, the next five fire times in its zone, and where it is installed") { paths, stateDir };
        list.SetAction(parse =>
        {
            var (files, _) = FileDiscovery.Find(parse.GetValue(paths) ?? []);
            var crontab = TryCrontab();
            var database = Pipeline.State.StateLocation.Database(Path.GetFullPath(parse.GetValue(stateDir)!));
            var served = Pipeline.Server.Schedules.StoredSchedules.Read(new Pipeline.Server.Schedules.ScheduleStore(database.Postgres, database.ConnectionString));
            var rows = new List<object>();
            var o = Console.Out;
            foreach (var file in files)
            {
                var read = WorkflowLoader.Load(file);
                if (read.Workflow is not { } workflow || WorkflowValidator.Validate(read).Any(d => d.Severity == Severity.Error)) continue;
                var schedules = workflow.Triggers.OfType<ScheduleTrigger>().ToList();
                if (schedules.Count == 0) continue;
                var full = Path.GetFullPath(file);
                var installed = Installed(workflow.Name.Value, full, crontab, Path.GetFullPath(parse.GetValue(stateDir)!));
                for (var i = 0; i < workflow.Triggers.Count; i++)
                    if (workflow.Triggers[i] is ScheduleTrigger t && served.TryGetValue($"{workflow.Name.Value}#{i}", out var nextInServe))
                        installed.Insert(0, $"workflow serve ({t.Schedule.Value}; next {(nextInServe is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC" : "never")})");
                var entries = schedules.Select(s =>
                {
                    var zone = Zone(s.Timezone?.Value);
                    var next = CronSchedule.TryParse(s.Schedule.Value, out _) is { } cron ? CronSchedule.Next(cron, DateTimeOffset.UtcNow, zone, 5) : [];
                    return (Cron: s.Schedule.Value, Zone: zone.Id, Text: CronSchedule.Describe(s.Schedule.Value), Next: next.Select(n => TimeZoneInfo.ConvertTime(n, zone)).ToList());
                }).ToList();
                if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
                {
                    rows.Add(new Dictionary<string, object?>
                    {
                        ["workflow"] = workflow.Name.Value,
                        ["file"] = file,
                        ["schedules"] = entries.Select(e => new Dictionary<string, object?> { ["cron"] = e.Cron, ["timezone"] = e.Zone, ["description"] = e.Text, ["next"] = e.Next }).ToList(),
                        ["installed"] = installed.ToList(),
                    });
                    continue;
                }
                o.WriteLine($"{workflow.Name.Value} ({file})");
                foreach (var e in entries)
                {
                    o.WriteLine($"  {e.Cron}  {e.Text} ({e.Zone})");
                    o.WriteLine($"    next: {string.Join(", ", e.Next.Select(n => n.ToString("yyyy-MM-dd HH:mm:ss")))}");
                }
                o.WriteLine($"  installed: {(installed.Count == 0 ? "nowhere (workflow schedule install, or workflow serve)" : string.Join("; ", installed))}");
            }
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
                o.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(rows, indented: true));
            else if (rows.Count == 0 && files.Count > 0 && !files.Any(f => WorkflowLoader.Load(f).Workflow?.Triggers.OfType<ScheduleTrigger>().Any() == true))
                o.WriteLine("No workflow here has a schedule trigger.");
            return ExitCodes.Success;
        });
        return list;
    }

    /// <summary>Where a workflow is installed: its crontab lines, its systemd timers, its Task Scheduler XML.</summary>
    private static List<string> Installed(string name, string file, Crontab? crontab, string stateDirectory)
    {
        var found = new List<string>();
        if (File.Exists(WindowsTaskFile(stateDirectory, name))) found.Add($"Windows Task Scheduler XML ({WindowsTaskFile(stateDirectory, name)})");
        if (crontab is not null)
            try { foreach (var e in crontab.List().Where(e => e.WorkflowFile == file)) found.Add($"crontab ({e.Schedule})"); }
            catch (InvalidOperationException) { }
        foreach (var system in new[] { false, true })
        {
            var timer = Path.Combine(SystemdUnits.Folder(system), SystemdUnits.UnitName(name) + ".timer");
            if (File.Exists(timer)) found.Add($"systemd {(system ? "system" : "user")} timer ({timer})");
        }
        return found;
    }

    internal static Crontab? TryCrontab() => Pipeline.Engine.Processes.Executables.Find("crontab") is null ? null : new Crontab();

    /// <summary>A schedule's zone: its IANA id, else this machine's (as cron reads a schedule without one).</summary>
    internal static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrEmpty(id)) return TimeZoneInfo.Local;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Local; }
    }

    private static Command Install(bool remove)
    {
        var workflowArg = new Argument<string?>("workflow") { Description = "The workflow: its file, or its name among those `workflow validate` finds here (asked on a terminal when left out)", Arity = ArgumentArity.ZeroOrOne };
        workflowArg.CompletionSources.Add(Completions.Workflows);
        var with = new Option<string?>("--with") { Description = "Which scheduler: cron, systemd or windows (asked on a terminal when left out)" };
        with.AcceptOnlyFromAmong("cron", "systemd", "windows");
        var system = new Option<bool>("--system") { Description = "systemd: the machine's units (/etc/systemd/system, as root) instead of the user's" };
        var stateDir = StateDir();
        var command = new Command(remove ? "remove" : "install", remove
            ? "Remove a workflow's crontab lines or systemd units (nothing else in the crontab is touched)"
            : "Install a workflow's schedules into crontab or as a systemd timer")
        {
            workflowArg, with, system, stateDir,
        };
        command.SetAction(parse =>
        {
            var error = Console.Error;
            var definition = WorkflowInput.Load(parse.GetValue(workflowArg), parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.Verbose), error);
            if (definition is null) return ExitCodes.InvalidInput;
            var target = Running.Prompting.GivenOrChosen(parse.GetValue(with), "Which scheduler?", ["cron", "systemd", "windows"],
                "name the scheduler with --with", error, w => w switch
                {
                    "cron" => "cron      a crontab line",
                    "systemd" => "systemd   a .service and a .timer",
                    _ => "windows   Task Scheduler XML and the schtasks command",
                });
            if (target is null) return ExitCodes.InvalidInput;
            var isSystem = parse.GetValue(system);
            var file = Path.GetFullPath(definition.Path);
            var name = definition.Name.Value;
            try
            {
                if (remove) return Remove(name, file, target, isSystem, Path.GetFullPath(parse.GetValue(stateDir)!));
                var schedules = definition.Triggers.OfType<ScheduleTrigger>().ToList();
                if (schedules.Count == 0)
                {
                    error.WriteLine($"workflow: {definition.Path} has no schedule trigger");
                    error.WriteLine("    hint: add \"trigger\": { \"type\": \"schedule\", \"config\": { \"schedule\": \"0 2 * * *\" } }");
                    return ExitCodes.InvalidInput;
                }
                var scheduled = new ScheduledCommand(name, file, Path.GetDirectoryName(file)!, Path.GetFullPath(parse.GetValue(stateDir)!), ToolCommand());
                return target switch
                {
                    "cron" => InstallCron(schedules, scheduled),
                    "systemd" => InstallSystemd(schedules, scheduled, isSystem),
                    _ => InstallWindows(schedules, scheduled),
                };
            }
            catch (CronConversionException e)
            {
                var at = definition.Triggers.OfType<ScheduleTrigger>().FirstOrDefault(t => t.Schedule.Value == e.Cron)?.Schedule.Span;
                error.WriteLine(at is { } span ? $"{span.Path}({span.Line},{span.Column}): error: {e.Message}" : $"workflow: {e.Message}");
                if (e.Hint.Length > 0) error.WriteLine($"    hint: {e.Hint}");
                return ExitCodes.InvalidInput;
            }
            catch (InvalidOperationException e) // crontab missing or refusing
            {
                error.WriteLine($"workflow: {e.Message}");
                return ExitCodes.WorkflowFailed;
            }
        });
        return command;
    }

    private static int InstallCron(List<ScheduleTrigger> schedules, ScheduledCommand command)
    {
        var lines = schedules.Select(s => CrontabLine.Schedule(s.Schedule.Value, s.Timezone?.Value)).ToList();
        new Crontab().Install(lines, command);
        foreach (var (line, s) in lines.Zip(schedules))
            Console.Out.WriteLine($"workflow: {command.Name} runs from the crontab at {line} ({CronSchedule.Describe(s.Schedule.Value)}); output goes to {command.LogFile}");
        return ExitCodes.Success;
    }

    private static int InstallSystemd(List<ScheduleTrigger> schedules, ScheduledCommand command, bool system)
    {
        var calendars = schedules.Select(s => SystemdCalendar.Convert(s.Schedule.Value, s.Timezone?.Value)).ToList();
        var folder = SystemdUnits.Folder(system);
        var (service, timer) = SystemdUnits.Write(folder, command, calendars);
        if (SystemdUnits.Verify(service, timer) is { } complaints)
        {
            Console.Error.WriteLine($"workflow: systemd-analyze verify refused the units in {folder}:");
            Console.Error.WriteLine(complaints);
            return ExitCodes.WorkflowFailed;
        }
        Console.Out.WriteLine($"workflow: wrote {service} and {timer} (OnCalendar={string.Join(", ", calendars)})");
        var unit = SystemdUnits.UnitName(command.Name);
        if (SystemdUnits.Running(system))
        {
            if (SystemdUnits.Apply(SystemdUnits.EnableCommands(unit, system)) is { } failed)
            {
                Console.Error.WriteLine($"workflow: {failed}");
                return ExitCodes.WorkflowFailed;
            }
            Console.Out.WriteLine($"workflow: enabled {unit}.timer");
        }
        else
        {
            Console.Out.WriteLine("workflow: no systemd instance answers here, so the timer is not enabled yet; on the machine that runs it:");
            foreach (var c in SystemdUnits.EnableCommands(unit, system)) Console.Out.WriteLine($"    {c}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The Task Scheduler XML beside the logs, and the schtasks command that registers it (on Windows, where schtasks is).</summary>
    private static int InstallWindows(List<ScheduleTrigger> schedules, ScheduledCommand command)
    {
        var xml = WindowsTask.Task(command, schedules.Select(s => (s.Schedule.Value, s.Timezone?.Value)));
        var path = WindowsTaskFile(command.StateDirectory, command.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        xml.Save(path);
        Console.Out.WriteLine($"workflow: wrote {path}; register it with:");
        Console.Out.WriteLine($"    schtasks /create /tn \"Pipeline\\{command.Name}\" /xml \"{path}\"");
        return ExitCodes.Success;
    }

    internal static string WindowsTaskFile(string stateDirectory, string name) => Path.Combine(stateDirectory, "schedule", name + ".task.xml");

    internal static int Remove(string name, string file, string target, bool system, string stateDirectory)
    {
        if (target == "windows")
        {
            var path = WindowsTaskFile(stateDirectory, name);
            if (File.Exists(path)) File.Delete(path);
            Console.Out.WriteLine($"workflow: removed {path}; unregister the task with:");
            Console.Out.WriteLine($"    schtasks /delete /tn \"Pipeline\\{name}\" /f");
            return ExitCodes.Success;
        }
        if (target == "cron")
        {
            var removed = new Crontab().Remove(file);
            Console.Out.WriteLine(removed ? $"workflow: removed {name} from the crontab" : $"workflow: {name} was not in the crontab");
            return ExitCodes.Success;
        }
        var folder = SystemdUnits.Folder(system);
        var unit = SystemdUnits.UnitName(name);
        var paths = new[] { Path.Combine(folder, unit + ".service"), Path.Combine(folder, unit + ".timer") }.Where(File.Exists).ToList();
        if (paths.Count == 0)
        {
            Console.Out.WriteLine($"workflow: {name} has no systemd units in {folder}");
            return ExitCodes.Success;
        }
        if (SystemdUnits.Running(system))
        {
            if (SystemdUnits.Apply(SystemdUnits.DisableCommands(unit, system)) is { } failed) Console.Error.WriteLine($"workflow: warning: {failed}");
        }
        else
        {
            Console.Out.WriteLine("workflow: no systemd instance answers here; on the machine that runs it, first:");
            foreach (var c in SystemdUnits.DisableCommands(unit, system)) Console.Out.WriteLine($"    {c}");
        }
        foreach (var p in paths) File.Delete(p);
        Console.Out.WriteLine($"workflow: removed {string.Join(" and ", paths)}");
        return ExitCodes.Success;
    }

    /// <summary>How to start this very tool again: <c>dotnet workflow.dll</c>, or the installed tool's executable.</summary>
    /// <summary>How a schedule calls this tool back: the dotnet host and our dll, or the compiled tool itself.</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Location is read only when the dotnet host runs the dll; the compiled tool is its own ProcessPath.")]
    private static IReadOnlyList<string> ToolCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(ScheduleCommand).Assembly.Location] : [host];
    }
}
