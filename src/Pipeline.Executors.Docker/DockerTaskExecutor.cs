using Docker.DotNet;
using Docker.DotNet.Models;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Processes;

namespace Pipeline.Executors.Docker;

/// <summary>
/// Runs a docker task: the image is pulled (per <c>pull</c>) or built, a container is created with
/// the task's command, env, volumes and limits, attached before it starts (so no early output is
/// lost), and waited for; its exit code is the task's. Output streams live into the task's log.
/// The container is removed however the task ends — success, failure, timeout, cancellation — unless
/// <c>keep: true</c>; a timeout or a cancellation sends SIGTERM, waits the run's grace period, then
/// SIGKILL. A runner killed outright cannot clean up, so containers carry labels
/// (<see cref="ContainerLabels"/>) and the next runner of the execution removes them.
/// </summary>
public sealed class DockerTaskExecutor : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (DockerTask)invocation.Task;
        var engine = DockerEngine.Current;
        if (await engine.ProblemAsync(cancellationToken).ConfigureAwait(false) is { } problem) return ExecutionOutcome.Fail(problem);
        var client = engine.Client;
        try
        {
            foreach (var name in await DockerLeftovers.RemoveAsync(client, invocation.ExecutionId, invocation.InstanceId, cancellationToken).ConfigureAwait(false))
                invocation.Output(OutputStream.Stderr, $"workflow: removed container {name}, left running by an earlier runner of this task");

            ImageBuilder.Built? built = null;
            string image;
            if (task.Build is { } build)
            {
                (built, var error) = await ImageBuilder.BuildAsync(client, invocation, build, cancellationToken).ConfigureAwait(false);
                if (built is null) return ExecutionOutcome.Fail(error!);
                image = built.ImageId;
            }
            else
            {
                image = invocation.Render(task.Image!);
                if (await ImagePuller.EnsureAsync(client, image, task.Pull, invocation.Output, cancellationToken).ConfigureAwait(false) is { } error)
                    return ExecutionOutcome.Fail(error);
            }

            try
            {
                var outcome = await RunContainerAsync(client, invocation, task, image, cancellationToken).ConfigureAwait(false);
                return built is null ? outcome : outcome with { Outputs = new Dictionary<string, string>(outcome.Outputs) { ["image_id"] = built.ImageId, ["image"] = built.Tag } };
            }
            finally
            {
                if (built is not null && task.CleanupImages) await RemoveImageAsync(client, invocation, built).ConfigureAwait(false);
            }
        }
        catch (ArgumentException e)
        {
            return ExecutionOutcome.Fail(e.Message);
        }
        catch (DockerApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Fail($"the Docker engine at {engine.Endpoint} refused: {ImagePuller.Message(e)}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DockerEngine.IsUnreachable(e))
        {
            return ExecutionOutcome.Fail(engine.Unreachable(e));
        }
    }

    private static async Task<ExecutionOutcome> RunContainerAsync(DockerClient client, TaskInvocation invocation, DockerTask task, string image, CancellationToken cancellationToken)
    {
        // The outputs file must exist before it is mounted (else the engine makes a folder), and be
        // writable by whatever user the image runs as.
        var outputFile = invocation.ScratchFile("docker-output.txt");
        await File.WriteAllTextAsync(outputFile, "", CancellationToken.None).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(outputFile, (UnixFileMode)0b110_110_110);
        var spec = ContainerSpec.Create(task, invocation, image, outputFile);

        // Not cancellable: a create cut short could leave a container whose id we never learn.
        var id = (await client.Containers.CreateContainerAsync(spec, CancellationToken.None).ConfigureAwait(false)).ID;
        try
        {
            using var stream = await client.Containers.AttachContainerAsync(id, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, CancellationToken.None).ConfigureAwait(false);
            var output = new ContainerOutput(invocation.Output);
            var pump = output.PumpAsync(stream, CancellationToken.None);
            long exitCode;
            try
            {
                await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
                exitCode = (await client.Containers.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false)).StatusCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await StopAsync(client, id, invocation.Stop).ConfigureAwait(false);
                await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
            // The log's tail arrives after the exit: wait for the stream to end before reading it.
            await pump.ConfigureAwait(false);

            var outputs = OutputFile.Read(outputFile, out var errors);
            foreach (var e in errors) invocation.Output(OutputStream.Stderr, "workflow: " + e);
            var code = (int)exitCode;
            return new ExecutionOutcome
            {
                Succeeded = code == 0,
                ExitCode = code,
                Error = code == 0 ? null : $"the container exited with code {code}{Describe(code)}{LastLine(output.Stderr)}",
                Outputs = outputs,
                Stdout = output.Stdout,
                Stderr = output.Stderr,
            };
        }
        finally
        {
            if (task.Keep)
                invocation.Output(OutputStream.Stderr, $"workflow: kept container {spec.Name} (keep: true); see it with docker logs {spec.Name}, remove it with docker rm -f {spec.Name}");
            else await DockerLeftovers.RemoveContainerAsync(client, id).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM, up to the grace period (or until a second Ctrl-C), then SIGKILL.</summary>
    private static async Task StopAsync(DockerClient client, string id, StopPolicy stop)
    {
        if (!await SignalAsync(client, id, "TERM").ConfigureAwait(false)) return;
        if (stop.GracePeriod > TimeSpan.Zero)
        {
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(stop.KillNow);
            grace.CancelAfter(stop.GracePeriod);
            try
            {
                await client.Containers.WaitContainerAsync(id, grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) { }
        }
        await SignalAsync(client, id, "KILL").ConfigureAwait(false);
    }

    /// <returns>False when the container is not running any more.</returns>
    private static async Task<bool> SignalAsync(DockerClient client, string id, string signal)
    {
        try
        {
            await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException)
        {
            return false; // not running (409) or gone (404)
        }
    }

    private static async Task RemoveImageAsync(DockerClient client, TaskInvocation invocation, ImageBuilder.Built built)
    {
        try
        {
            await client.Images.DeleteImageAsync(built.ImageId, new ImageDeleteParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
            invocation.Output(OutputStream.Stdout, $"removed image {built.Tag} (cleanup_images)");
        }
        catch (DockerApiException e)
        {
            invocation.Output(OutputStream.Stderr, $"workflow: could not remove image {built.Tag}: {ImagePuller.Message(e)}");
        }
    }

    /// <summary>What the usual codes of a container's end mean.</summary>
    private static string Describe(int code) => code switch
    {
        125 => " (the engine could not run the container)",
        126 => " (the command cannot be executed)",
        127 => " (the command was not found in the image)",
        137 => " (killed: out of memory, or SIGKILL)",
        143 => " (stopped by SIGTERM)",
        _ => "",
    };

    private static string LastLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + (lines[^1].Length > 300 ? lines[^1][..300] + "..." : lines[^1]);
    }
}
