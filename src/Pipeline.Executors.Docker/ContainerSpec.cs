using Docker.DotNet.Models;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Processes;

namespace Pipeline.Executors.Docker;

/// <summary>
/// What the engine is asked to create for a docker task: the command (a string runs through
/// <c>/bin/sh -e -c</c> with each <c>${...}</c> passed as an environment variable, as shell tasks
/// do; a list runs as it is), the workflow's and the task's env (never the runner's own environment),
/// volumes with relative host paths resolved against the workflow's folder, the limits, the labels,
/// and <c>$WORKFLOW_OUTPUT</c> as a file mounted from the host so the task can publish outputs.
/// </summary>
internal static class ContainerSpec
{
    /// <summary>Where the outputs file is mounted inside the container.</summary>
    public const string OutputPath = "/workflow/output";

    /// <exception cref="ArgumentException">A rendered value cannot be used (a volume that is not host:container).</exception>
    public static CreateContainerParameters Create(DockerTask task, TaskInvocation invocation, string image, string outputFile)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in invocation.Environment)
            if (value is not null) env[name] = value;

        IList<string>? cmd = null;
        if (task.Command is { } command)
        {
            var built = ShellScript.Build(InterpolatedString.Parse(command.Value), "sh", e => Evaluator.Evaluate(e, invocation.Expressions).ToText());
            foreach (var (name, value) in built.Variables) env[name] = value;
            cmd = ["/bin/sh", "-e", "-c", built.Script];
        }
        else if (task.Args.Count > 0) cmd = task.Args.Select(invocation.Render).ToList();
        env[OutputFile.Variable] = OutputPath;

        var binds = task.Volumes.Select(v => Bind(invocation.Render(v), invocation.WorkflowDirectory)).ToList();
        binds.Add($"{outputFile}:{OutputPath}");

        var spec = new CreateContainerParameters
        {
            Name = $"pipeline-{DockerNames.Clean(invocation.InstanceId)}-{DockerNames.Clean(invocation.ExecutionId)}-{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant(),
            Image = image,
            Env = env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = ContainerLabels.For(invocation.ExecutionId, invocation.InstanceId, invocation.WorkflowName, task.Keep),
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                Binds = binds,
                Memory = task.Memory?.Value ?? 0,
                NanoCPUs = task.Cpus is { } cpus ? (long)(cpus.Value * 1e9) : 0,
            },
        };
        // What the task leaves out stays the image's own (its CMD, ENTRYPOINT, WORKDIR, USER) or the engine's (network).
        if (cmd is not null) spec.Cmd = cmd;
        if (task.Entrypoint is { } entrypoint) spec.Entrypoint = entrypoint.Select(invocation.Render).ToList();
        if (task.Workdir is { } w) spec.WorkingDir = invocation.Render(w);
        if (task.User is { } u) spec.User = invocation.Render(u);
        if (task.Network is { } n) spec.HostConfig.NetworkMode = invocation.Render(n);
        return spec;
    }

    /// <summary>host:container[:mode] with the host path made absolute; a bare name (a named volume) stays as it is.</summary>
    internal static string Bind(string volume, string workflowDirectory)
    {
        if (DockerTask.VolumeProblem(volume) is { } problem)
            throw new ArgumentException($"volume \"{volume}\": {problem}");
        var parts = volume.Split(':');
        var host = parts[0];
        if (host.StartsWith('~')) host = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + host[1..];
        else if (!Path.IsPathRooted(host) && (host.StartsWith('.') || host.Contains('/'))) host = Path.GetFullPath(Path.Combine(workflowDirectory, host));
        parts[0] = host;
        return string.Join(':', parts);
    }

}
