using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Core.Reading;
using Pipeline.Core.Text;

namespace Pipeline.Core.Loading;

/// <summary>
/// WF4xxx: checks that look at the machine (files exist, programs on PATH). Used by the CLI and the
/// MSBuild task; never by the source generator, which must not touch the file system. Paths in the
/// workflow are relative to the workflow file's directory; values with ${...} are known only at run time.
/// </summary>
public static class EnvironmentChecks
{
    public static IReadOnlyList<Diagnostic> Check(ReadResult read)
    {
        var bag = new DiagnosticBag();
        if (read.Workflow is not { } workflow) return bag.Items;
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(workflow.Path)) ?? ".";

        var needs = new Dictionary<string, (DiagnosticDescriptor Descriptor, SourceSpan Span, string Hint)>(StringComparer.Ordinal);
        var dockerChecked = false;
        foreach (var task in workflow.Tasks)
        {
            if (task.Cwd is { } cwd && IsLiteral(cwd) && !Directory.Exists(Resolve(baseDir, cwd.Value)))
                bag.Report(Descriptors.DirectoryNotFound, cwd.Span, $"working directory \"{cwd.Value}\" of task '{task.Id.Value}' does not exist",
                    "paths are relative to the workflow file's directory; create it or fix the path");
            switch (task)
            {
                case ScriptTask script:
                    if (script.File is { } file && IsLiteral(file) && !File.Exists(Resolve(baseDir, file.Value)))
                        bag.Report(Descriptors.ScriptNotFound, file.Span, $"script file \"{file.Value}\" of task '{task.Id.Value}' does not exist",
                            "paths are relative to the workflow file's directory");
                    if (!needs.ContainsKey(script.Interpreter))
                        needs[script.Interpreter] = (Descriptors.InterpreterMissing, task.TypeSpan, $"install {script.Interpreter} or put it on PATH");
                    break;
                case SqlTask sql when sql.File is { } sqlFile && IsLiteral(sqlFile) && !File.Exists(Resolve(baseDir, sqlFile.Value)):
                    bag.Report(Descriptors.ScriptNotFound, sqlFile.Span, $"SQL file \"{sqlFile.Value}\" of task '{task.Id.Value}' does not exist",
                        "paths are relative to the workflow file's directory");
                    break;
                case ShellTask shell when IsLiteral(shell.Command) && ScriptPath(shell.Command.Value) is { } script:
                    var scriptPath = Resolve(Resolve(baseDir, shell.Cwd is { } dir && IsLiteral(dir) ? dir.Value : "."), script);
                    // A warning, not an error: an earlier task may build it (./bin/app after a build task).
                    if (!File.Exists(scriptPath))
                        bag.Report(Descriptors.ScriptNotFound, shell.Command.Span, $"script \"{script}\" run by task '{task.Id.Value}' does not exist",
                            "unless an earlier task creates it: paths are relative to the task's cwd, or to the workflow file's directory without one",
                            Severity.Warning);
                    else if (!UnixFiles.IsExecutable(scriptPath))
                        bag.Report(Descriptors.ScriptNotExecutable, shell.Command.Span, $"script \"{script}\" run by task '{task.Id.Value}' is not executable",
                            $"chmod +x {script} (and commit the mode: git update-index --chmod=+x {script}), or run it as sh {script}");
                    break;
                case DockerTask docker:
                    if (!dockerChecked)
                    {
                        dockerChecked = true;
                        if (MissingDockerSocket() is { } socket)
                            bag.Report(Descriptors.DockerMissing, task.TypeSpan, $"no Docker engine answers at {socket}, so docker tasks will fail here",
                                "start one (sudo systemctl start docker, or dockerd), or point DOCKER_HOST at a running engine");
                    }
                    if (docker.Build is { } build && IsLiteral(build.Context) && !Directory.Exists(Resolve(baseDir, build.Context.Value)))
                        bag.Report(Descriptors.DirectoryNotFound, build.Context.Span, $"build context \"{build.Context.Value}\" of task '{task.Id.Value}' does not exist",
                            "paths are relative to the workflow file's directory");
                    else if (docker.Build is { } b && IsLiteral(b.Context) && (b.Dockerfile is null || IsLiteral(b.Dockerfile))
                        && !File.Exists(Resolve(Resolve(baseDir, b.Context.Value), b.Dockerfile?.Value ?? "Dockerfile")))
                        bag.Report(Descriptors.ScriptNotFound, b.Dockerfile?.Span ?? b.Context.Span,
                            $"Dockerfile \"{b.Dockerfile?.Value ?? "Dockerfile"}\" of task '{task.Id.Value}' does not exist in the build context \"{b.Context.Value}\"",
                            "the dockerfile path is relative to the build context");
                    foreach (var volume in docker.Volumes.Where(IsLiteral))
                    {
                        var host = volume.Value.Split(':')[0];
                        if (host.Length > 0 && (host.StartsWith(".", StringComparison.Ordinal) || host.StartsWith("/", StringComparison.Ordinal) || host.Contains("/"))
                            && !Directory.Exists(Resolve(baseDir, host)) && !File.Exists(Resolve(baseDir, host)))
                            bag.Report(Descriptors.DirectoryNotFound, volume.Span, $"the host path \"{host}\" of volume \"{volume.Value}\" (task '{task.Id.Value}') does not exist",
                                "create it, or fix the path (relative to the workflow file's directory); Docker would create an empty folder owned by root",
                                Severity.Warning);
                    }
                    break;
            }
        }
        foreach (var need in needs)
        {
            if (OnPath(need.Key)) continue;
            var (descriptor, span, hint) = need.Value;
            bag.Report(descriptor, span, $"'{need.Key}' is not on PATH, so tasks that need it will fail here", hint);
        }

        if (read.Taskfile is { } taskfile)
        {
            foreach (var inc in taskfile.Includes.Where(i => !i.Optional && IsLiteral(i.Taskfile)))
            {
                var path = Resolve(baseDir, inc.Taskfile.Value);
                var exists = File.Exists(path) || (Directory.Exists(path) && WorkflowFiles.TaskfileIn(path) is not null);
                if (!exists)
                    bag.Report(Descriptors.IncludeNotFound, inc.Taskfile.Span, $"included Taskfile \"{inc.Taskfile.Value}\" ({inc.Namespace.Value}) not found",
                        "fix the path, or mark the include optional: true");
            }
            Taskfile.IncludedCallRule.Check(taskfile, baseDir, bag);
            foreach (var dotenv in taskfile.Dotenv.Where(IsLiteral))
                if (!File.Exists(Resolve(baseDir, dotenv.Value)))
                    bag.Report(Descriptors.DotenvNotFound, dotenv.Span, $"dotenv file \"{dotenv.Value}\" not found; go-task skips it", "create it if the tasks need its variables");
        }
        return bag.Items;
    }

    /// <summary>The program of a command that runs a script by path (<c>./build.sh --fast</c>), or null.</summary>
    private static string? ScriptPath(string command)
    {
        var first = command.TrimStart().Split(new[] { ' ', '\t', '\n', ';', '&', '|' }, 2)[0];
        return first.IndexOf('/') >= 0 && first.IndexOfAny(new[] { '$', '`', '"', '\'', '*', '?', '(', '<', '>' }) < 0 ? first : null;
    }

    private static bool IsLiteral(LocatedString value) => value.Value.IndexOf("${", StringComparison.Ordinal) < 0 && value.Value.IndexOf("{{", StringComparison.Ordinal) < 0;

    private static string Resolve(string baseDir, string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Substring(2));
        return Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDir, path));
    }

    /// <summary>True when an executable of that name is in a PATH directory.</summary>
    /// <summary>
    /// The engine socket docker tasks would use (<c>DOCKER_HOST</c>, else the platform's default) when it
    /// is a local socket that does not exist; null when it exists or cannot be checked from here (tcp, npipe).
    /// </summary>
    internal static string? MissingDockerSocket()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host))
        {
            if (Path.DirectorySeparatorChar == '\\') return null;
            host = "unix:///var/run/docker.sock";
        }
        if (!host!.StartsWith("unix://", StringComparison.Ordinal)) return null;
        return File.Exists(host.Substring("unix://".Length)) ? null : host;
    }

    public static bool OnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var extensions = Path.DirectorySeparatorChar == '\\' ? new[] { ".exe", ".cmd", ".bat", "" } : new[] { "" };
        foreach (var dir in path.Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            foreach (var ext in extensions)
                if (File.Exists(Path.Combine(dir, program + ext))) return true;
        }
        return false;
    }
}
