namespace Pipeline.Scheduling.Targets;

/// <summary>
/// A scheduled workflow as a systemd <c>.service</c> (what runs) and <c>.timer</c> (when:
/// <c>OnCalendar=</c> from the cron expression, <c>Persistent=true</c> so a firing missed while the
/// machine was off runs at boot), in the user's unit folder or, for the whole machine,
/// <c>/etc/systemd/system</c>. Checked with <c>systemd-analyze verify</c> when it is installed.
/// </summary>
public static class SystemdUnits
{
    public static string UnitName(string workflow) => "pipeline-" + new string(workflow.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());

    public static string Folder(bool system) => system
        ? "/etc/systemd/system"
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "systemd", "user");

    public static string Service(ScheduledCommand command) => $"""
        [Unit]
        Description=Pipeline workflow {command.Name} ({command.WorkflowFile})

        [Service]
        Type=oneshot
        WorkingDirectory={command.WorkingDirectory}
        Environment={Escape("PATH=" + command.SearchPath)}
        ExecStart={string.Join(' ', command.Arguments.Select(Escape))}

        """;

    public static string Timer(ScheduledCommand command, IEnumerable<string> onCalendar) => $"""
        [Unit]
        Description=Schedule of Pipeline workflow {command.Name}

        [Timer]
        {string.Join("\n", onCalendar.Select(c => "OnCalendar=" + c))}
        Persistent=true

        [Install]
        WantedBy=timers.target

        """;

    /// <summary>systemd's quoting for ExecStart=: double quotes when needed, with \ and " escaped, and % doubled.</summary>
    private static string Escape(string arg)
    {
        var text = arg.Replace("%", "%%");
        return text.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' || c == ';') ? "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : text;
    }

    /// <summary>Writes both units into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Service, string Timer) Write(string folder, ScheduledCommand command, IEnumerable<string> onCalendar)
    {
        Directory.CreateDirectory(folder);
        var name = UnitName(command.Name);
        var service = Path.Combine(folder, name + ".service");
        var timer = Path.Combine(folder, name + ".timer");
        File.WriteAllText(service, Service(command));
        File.WriteAllText(timer, Timer(command, onCalendar));
        return (service, timer);
    }

    /// <summary><c>systemd-analyze verify</c> on the units: null when they pass (or the tool is not installed), else its complaints.</summary>
    public static string? Verify(params string[] units)
    {
        var output = Run("systemd-analyze", ["verify", .. units], out var exit);
        return exit is null or 0 ? null : output.Trim();
    }

    /// <summary>Whether a systemd instance answers (one to enable the timer with); there is none in most containers.</summary>
    public static bool Running(bool system) =>
        Directory.Exists("/run/systemd/system") // systemd is PID 1 (sd_booted's test)
        && (system || Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(Path.Combine(runtime, "systemd")));

    /// <summary>The commands that enable (or remove) the timer.</summary>
    public static IReadOnlyList<string> EnableCommands(string unit, bool system) =>
        [$"systemctl {(system ? "" : "--user ")}daemon-reload", $"systemctl {(system ? "" : "--user ")}enable --now {unit}.timer"];

    public static IReadOnlyList<string> DisableCommands(string unit, bool system) =>
        [$"systemctl {(system ? "" : "--user ")}disable --now {unit}.timer", $"systemctl {(system ? "" : "--user ")}daemon-reload"];

    /// <summary>Runs the commands through systemctl; the first that fails, or null when all succeeded.</summary>
    public static string? Apply(IEnumerable<string> commands)
    {
        foreach (var command in commands)
        {
            var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var output = Run(parts[0], parts[1..], out var exit);
            if (exit != 0) return $"`{command}` failed: {output.Trim()}";
        }
        return null;
    }

    /// <summary>Runs a program; <paramref name="exit"/> is null when it is not installed.</summary>
    internal static string Run(string program, string[] args, out int? exit)
    {
        var result = Programs.Run(program, args);
        exit = result?.Exit;
        return result is { } r ? r.Output + r.Error : "";
    }
}
