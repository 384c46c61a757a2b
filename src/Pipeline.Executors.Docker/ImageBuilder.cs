using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;

namespace Pipeline.Executors.Docker;

/// <summary>
/// <c>build</c>: sends the context folder (less what <c>.dockerignore</c> leaves out) to the engine,
/// streams the build's log into the task's log, and checks the image exists afterwards (a failed
/// build does not always fail the API call). Intermediate containers are removed even when a step fails.
/// </summary>
internal static class ImageBuilder
{
    public sealed record Built(string ImageId, string Tag);

    /// <returns>The image, or why the build failed.</returns>
    public static async Task<(Built? Image, string? Error)> BuildAsync(DockerClient client, TaskInvocation invocation, DockerBuild build, CancellationToken cancellationToken)
    {
        var context = Path.GetFullPath(Path.Combine(invocation.WorkflowDirectory, invocation.Render(build.Context)));
        if (!Directory.Exists(context)) return (null, $"the build context {context} does not exist");
        var dockerfile = build.Dockerfile is { } d ? invocation.Render(d).Replace('\\', '/') : "Dockerfile";
        if (!File.Exists(Path.Combine(context, dockerfile))) return (null, $"the Dockerfile {Path.Combine(context, dockerfile)} does not exist");
        var tag = build.Tag is { } t ? invocation.Render(t) : DefaultTag(invocation);

        var archive = invocation.ScratchFile("docker-context.tar");
        try
        {
            var files = await WriteContextAsync(context, archive, cancellationToken).ConfigureAwait(false);
            invocation.Output(OutputStream.Stdout, $"building {tag} from {context} ({files} files)");
            var errors = new List<string>();
            var progress = new ImagePuller.Progress(m =>
            {
                if (m.Error?.Message is { Length: > 0 } error) errors.Add(error);
                else if (m.Stream is { Length: > 0 } text)
                    foreach (var line in text.Split('\n'))
                        if (line.TrimEnd('\r') is { Length: > 0 } l) invocation.Output(OutputStream.Stdout, l);
            });
            await using (var tar = File.OpenRead(archive))
            {
                try
                {
                    await client.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters
                    {
                        Dockerfile = dockerfile,
                        Tags = [tag],
                        BuildArgs = build.Args.ToDictionary(a => a.Name.Value, a => invocation.Render(a.Value), StringComparer.Ordinal),
                        Labels = ContainerLabels.For(invocation.ExecutionId, invocation.InstanceId, invocation.WorkflowName),
                        Remove = true,
                        ForceRemove = true,
                    }, tar, null, null, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (DockerApiException e) when (!cancellationToken.IsCancellationRequested)
                {
                    errors.Add(ImagePuller.Message(e));
                }
            }
            if (errors.Count > 0) return (null, $"building {tag} failed: {errors[^1]}");
            try
            {
                var image = await client.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
                invocation.Output(OutputStream.Stdout, $"built {tag} ({image.ID})");
                return (new Built(image.ID, tag), null);
            }
            catch (DockerImageNotFoundException)
            {
                return (null, $"building {tag} failed: the engine reported no error, yet the image is not there");
            }
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>A tag unique to the run and task: pipeline/&lt;workflow&gt;-&lt;task&gt;:&lt;execution&gt;.</summary>
    internal static string DefaultTag(TaskInvocation invocation) =>
        $"pipeline/{DockerNames.Clean(invocation.WorkflowName)}-{DockerNames.Clean(invocation.InstanceId)}:{DockerNames.Clean(invocation.ExecutionId)}".ToLowerInvariant();

    /// <summary>Writes the context as a tar file; returns how many files it holds.</summary>
    private static async Task<int> WriteContextAsync(string context, string archive, CancellationToken cancellationToken)
    {
        var ignore = DockerIgnore.Read(context);
        var count = 0;
        await using var file = File.Create(archive);
        await using var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false);
        foreach (var path in Directory.EnumerateFileSystemEntries(context, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(context, path).Replace('\\', '/');
            if (ignore.Excludes(relative) && relative is not ".dockerignore" && relative != "Dockerfile") continue;
            await writer.WriteEntryAsync(path, relative, cancellationToken).ConfigureAwait(false);
            if (File.Exists(path)) count++;
        }
        return count;
    }
}
