using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Pipeline.Executors.Docker;

/// <summary>
/// Containers a run left behind: a runner killed with SIGKILL cannot remove its containers, so they
/// carry labels (<see cref="ContainerLabels"/>) and whoever picks the run up again removes them —
/// resume for the whole execution, and each docker task for a container of its own before it starts one.
/// Containers kept on purpose (<c>keep: true</c>) are left alone.
/// </summary>
public static class DockerLeftovers
{
    /// <summary>Removes the execution's containers (all of them, or one task's); returns their names.</summary>
    public static async Task<IReadOnlyList<string>> RemoveAsync(string executionId, string? taskInstance = null, CancellationToken cancellationToken = default) =>
        await RemoveAsync(DockerEngine.Current.Client, executionId, taskInstance, cancellationToken).ConfigureAwait(false);

    internal static async Task<IReadOnlyList<string>> RemoveAsync(DockerClient client, string executionId, string? taskInstance, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.Execution}={executionId}"] = true };
        if (taskInstance is not null) labels[$"{ContainerLabels.Task}={taskInstance}"] = true;
        var found = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        foreach (var container in found.Where(c => !(c.Labels?.ContainsKey(ContainerLabels.Kept) ?? false)))
        {
            await RemoveContainerAsync(client, container.ID).ConfigureAwait(false);
            removed.Add(container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID[..12]);
        }
        return removed;
    }

    /// <summary>A container a run created: whose it is, and its state (running, exited, …).</summary>
    public sealed record Container(string Id, string Name, string ExecutionId, string Task, string Workflow, string State, bool Kept);

    /// <summary>Every container runs created on the engine (labelled <see cref="ContainerLabels.Managed"/>), running or not.</summary>
    public static async Task<IReadOnlyList<Container>> ListAsync(CancellationToken cancellationToken = default)
    {
        var found = await DockerEngine.Current.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Managed}=true"] = true } },
        }, cancellationToken).ConfigureAwait(false);
        return found.Select(c =>
        {
            string Label(string name) => c.Labels is not null && c.Labels.TryGetValue(name, out var value) ? value : "";
            return new Container(c.ID, c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID[..12], Label(ContainerLabels.Execution), Label(ContainerLabels.Task),
                Label(ContainerLabels.Workflow), c.State ?? "", Label(ContainerLabels.Kept) == "true");
        }).ToList();
    }

    /// <summary>Force-removes a container with its anonymous volumes; one already gone (or going) is fine.</summary>
    internal static async Task RemoveContainerAsync(DockerClient client, string id)
    {
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException) { }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && (e.ResponseBody ?? "").Contains("already in progress", StringComparison.OrdinalIgnoreCase)) { }
    }
}
