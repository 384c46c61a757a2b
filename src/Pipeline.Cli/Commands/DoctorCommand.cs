using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using Pipeline.Executors.Docker;
using Pipeline.Scheduling.Targets;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow doctor</c> (seed §1): what this machine and folder look like to Pipeline, each finding
/// with a fix: workflow files, the configuration file, the state store and its interrupted or
/// long-running executions, crontab entries and systemd timers that run workflows, the Docker
/// engine (a real ping) and containers runs left behind, and the programs tasks need.
/// </summary>
public static class DoctorCommand
{
    /// <param name="Level">ok, info, warning or error.</param>
    public sealed record Finding(string Area, string Level, string What, string? Fix = null);

    public static Command Create()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var fix = new Option<bool>("--fix") { Description = "Remove the containers interrupted runs left behind (nothing else is changed)" };
        var command = new Command("doctor", """
            Looks at this folder and machine and says what is wrong, each finding with a fix:
              files       workflow files found, and which are invalid
              config      .workflow-config.json found and valid
              state       the state store opens; runs recorded as running whose process is gone
                          (interrupted) or that have run for more than a day (hung?)
              schedules   crontab entries and systemd timers that run workflows, and whether their files still exist
              docker      the Docker engine answers a ping; containers of runs that are over
              tools       node, python3, dotnet, pwsh and their versions (a warning when a workflow needs a missing one)

            Examples:
              workflow doctor
              workflow doctor --format json
              workflow doctor --fix          remove containers left by interrupted runs

            Exit codes: 0 nothing wrong (warnings allowed), 1 an error was found, 2 bad arguments.
            """)
        {
            stateDir, fix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var findings = new List<Finding>();
            var (files, workflows) = Files(findings);
            Config(findings, parse.GetValue(GlobalOptions.Config));
            State(findings, parse.GetValue(stateDir)!, out var live);
            Schedules(findings);
            await DockerAsync(findings, workflows, live, parse.GetValue(fix), cancellationToken);
            Tools(findings, workflows);
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
                Console.Out.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(findings.Select(f => new Dictionary<string, string?>
                {
                    ["area"] = f.Area, ["level"] = f.Level, ["finding"] = f.What, ["fix"] = f.Fix,
                }).ToList(), indented: true));
            else
                foreach (var f in findings)
                {
                    Console.Out.WriteLine($"{Mark(f.Level),-7} {f.Area,-9} {f.What}");
                    if (f.Fix is { } hint) Console.Out.WriteLine($"{"",-17} fix: {hint}");
                }
            var errors = findings.Count(f => f.Level == "error");
            if (parse.GetValue(GlobalOptions.Format) != OutputFormat.Json)
                Console.Out.WriteLine(errors == 0 ? $"No errors ({findings.Count(f => f.Level == "warning")} warning(s))." : $"{errors} error(s).");
            return errors == 0 ? ExitCodes.Success : ExitCodes.WorkflowFailed;
        });
        return command;
    }

    private static string Mark(string level) => level switch { "ok" => "[ok]", "info" => "[info]", "warning" => "[warn]", _ => "[error]" };

    private static (List<string> Files, List<WorkflowDefinition> Workflows) Files(List<Finding> findings)
    {
        var (files, _) = FileDiscovery.Find([]);
        var workflows = new List<WorkflowDefinition>();
        var invalid = 0;
        foreach (var file in files)
        {
            var read = WorkflowLoader.Load(file);
            var first = WorkflowValidator.Validate(read).FirstOrDefault(d => d.Severity == Severity.Error);
            if (first is not null || read.Workflow is null)
            {
                invalid++;
                findings.Add(new Finding("files", "error", first?.ToCanonicalString() ?? $"{file}: cannot be read", $"workflow validate {file}"));
            }
            else workflows.Add(read.Workflow);
        }
        if (files.Count == 0)
            findings.Add(new Finding("files", "warning", $"no workflow files in {Directory.GetCurrentDirectory()} (workflows/**/*.workflow.json or .yml, *.workflow.json or .yml, workflow.yml, Taskfile.yml)",
                "write workflows/<name>.workflow.json, or run doctor from the repository's folder"));
        else if (invalid == 0)
            findings.Add(new Finding("files", "ok", $"{files.Count} workflow file(s), all valid: {string.Join(", ", workflows.Select(w => w.Name.Value))}"));
        return (files, workflows);
    }

    private static void Config(List<Finding> findings, FileInfo? explicitFile)
    {
        var file = explicitFile ?? new FileInfo(CliConfig.DefaultFileName);
        if (!file.Exists && explicitFile is null)
        {
            findings.Add(new Finding("config", "info", $"no {CliConfig.DefaultFileName} (the defaults apply)"));
            return;
        }
        var problems = new List<Diagnostic>();
        var config = CliConfig.Load(explicitFile, problems);
        foreach (var p in problems) findings.Add(new Finding("config", "error", p.ToCanonicalString(), p.Hint));
        if (problems.Count == 0)
            findings.Add(new Finding("config", "ok", $"{file.Name} is valid ({config.SeverityOverrides.Count} severity override(s), notification settings for {config.NotificationDefaults.Count} channel type(s))"));
    }

    /// <summary>The store, and the executions recorded as running: interrupted (their process is gone) or running for more than a day.</summary>
    private static void State(List<Finding> findings, string stateDirectory, out HashSet<string> live)
    {
        live = new HashSet<string>(StringComparer.Ordinal);
        if (StateStores.NothingRecorded(stateDirectory))
        {
            findings.Add(new Finding("state", "info", $"no runs recorded yet ({Path.GetFullPath(StateStores.PathIn(stateDirectory))} does not exist)"));
            return;
        }
        try
        {
            using var store = StateStores.Open(stateDirectory);
            var running = store.History(new HistoryQuery { Status = "running", Limit = int.MaxValue });
            var total = store.History(new HistoryQuery { Limit = int.MaxValue }).Count;
            findings.Add(new Finding("state", "ok", $"the state store opens ({store.Location}, schema {store.SchemaVersion}): {total} execution(s), {running.Count} recorded as running"));
            foreach (var e in running)
            {
                if (ExecutionProcesses.IsServed(e) || StateStores.IsAlive(e))
                {
                    live.Add(e.Id);
                    var age = DateTimeOffset.UtcNow - e.StartedAt;
                    if (age > TimeSpan.FromDays(1))
                        findings.Add(new Finding("state", "warning", $"execution {e.Id} of {e.Workflow} has been running for {Engine.Running.DurationText.Format(age)} (process {e.Pid} on {e.Host})",
                            $"workflow status {e.Id} shows what it waits on; if it is stuck, kill -TERM {e.Pid}"));
                }
                else
                    findings.Add(new Finding("state", "warning", $"execution {e.Id} of {e.Workflow} is recorded as running, but its process {e.Pid} is gone: it was interrupted",
                        $"workflow resume {e.Id} finishes it (tasks that succeeded are not run again)"));
            }
        }
        catch (StateStoreException x)
        {
            findings.Add(new Finding("state", "error", $"the state store cannot be used: {x.Message}", "see the README's History section; --state-dir or WORKFLOW_POSTGRES point at the store"));
        }
    }

    /// <summary>Crontab lines and systemd timers that run workflows, and whether their workflow files are still there.</summary>
    private static void Schedules(List<Finding> findings)
    {
        if (Engine.Processes.Executables.Find("crontab") is not null)
        {
            try
            {
                foreach (var entry in new Crontab().List())
                    findings.Add(File.Exists(entry.WorkflowFile)
                        ? new Finding("schedules", "ok", $"crontab runs {entry.WorkflowFile} at {entry.Schedule}")
                        : new Finding("schedules", "warning", $"crontab runs {entry.WorkflowFile} at {entry.Schedule}, and that file is gone", $"workflow schedule remove, or crontab -e and delete the line"));
            }
            catch (InvalidOperationException x) { findings.Add(new Finding("schedules", "info", $"the crontab cannot be read: {x.Message}")); }
        }
        foreach (var system in new[] { false, true })
        {
            var folder = SystemdUnits.Folder(system);
            if (!Directory.Exists(folder)) continue;
            foreach (var timer in Directory.EnumerateFiles(folder, "pipeline-*.timer").Order(StringComparer.Ordinal))
                findings.Add(new Finding("schedules", "ok", $"systemd {(system ? "system" : "user")} timer {timer}"));
        }
    }

    /// <summary>A real ping of the engine, and the containers of runs that are not running any more.</summary>
    private static async Task DockerAsync(List<Finding> findings, List<WorkflowDefinition> workflows, HashSet<string> live, bool fix, CancellationToken cancellationToken)
    {
        var needed = workflows.Where(w => w.Tasks.Any(t => t is DockerTask)).Select(w => w.Name.Value).ToList();
        var engine = DockerEngine.Current;
        if (await engine.ProblemAsync(cancellationToken) is { } problem)
        {
            findings.Add(needed.Count > 0
                ? new Finding("docker", "error", $"{problem} (docker tasks of {string.Join(", ", needed)} need it)", "start the engine, or set DOCKER_HOST")
                : new Finding("docker", "info", $"no Docker engine: {problem.Split(';')[0]} (no workflow here has docker tasks)"));
            return;
        }
        findings.Add(new Finding("docker", "ok", $"the Docker engine at {engine.Endpoint} answers"));
        foreach (var c in await DockerLeftovers.ListAsync(cancellationToken))
        {
            if (c.Kept || live.Contains(c.ExecutionId)) continue;
            if (fix)
            {
                await DockerLeftovers.RemoveAsync(c.ExecutionId, c.Task, cancellationToken);
                findings.Add(new Finding("docker", "ok", $"removed container {c.Name} left by execution {c.ExecutionId} ({c.Workflow}, task {c.Task})"));
            }
            else
                findings.Add(new Finding("docker", "warning", $"container {c.Name} ({c.State}) was left by execution {c.ExecutionId} ({c.Workflow}, task {c.Task}), which is not running",
                    "workflow doctor --fix removes it (or workflow run --resume, when the run is to be finished)"));
        }
    }

    private static readonly (string Program, string Args, TaskType? NeededBy)[] Programs =
    [
        ("node", "--version", TaskType.JavaScript), ("python3", "--version", TaskType.Python), ("dotnet", "--version", null), ("pwsh", "--version", null),
    ];

    private static void Tools(List<Finding> findings, List<WorkflowDefinition> workflows)
    {
        foreach (var (program, args, neededBy) in Programs)
        {
            var users = neededBy is { } type ? workflows.Where(w => w.Tasks.Any(t => t.Type == type)).Select(w => w.Name.Value).ToList() : [];
            var version = Version(program, args);
            if (version is not null) findings.Add(new Finding("tools", "ok", $"{program} {version}"));
            else if (users.Count > 0) findings.Add(new Finding("tools", "warning", $"{program} is not on PATH, and {string.Join(", ", users)} run {TaskTypes.NameOf(neededBy!.Value)} tasks", $"install {program}, or put it on PATH"));
            else findings.Add(new Finding("tools", "info", $"{program} is not on PATH (no workflow here needs it)"));
        }
    }

    /// <summary>The first line a program prints for its version (within 10 s), or null when it is not there.</summary>
    private static string? Version(string program, string args)
    {
        var path = Engine.Processes.Executables.Find(program);
        if (path is null) return null;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return "(did not answer --version)"; }
            var line = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            return line.StartsWith("v", StringComparison.Ordinal) || line.Length == 0 ? line : line.Replace(program, "", StringComparison.OrdinalIgnoreCase).Trim().Replace("Python ", "");
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
