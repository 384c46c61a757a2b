using Docker.DotNet;
using Docker.DotNet.Models;

namespace Pipeline.Testing;

/// <summary>
/// The Docker engine tests/services/docker.sh starts (PIPELINE_TEST_DOCKER_HOST, a private socket)
/// and its tiny image imported from busybox (PIPELINE_TEST_DOCKER_IMAGE). Without them the tests fail
/// and say how to get them, rather than skip: green must mean docker tasks were really run.
/// </summary>
public static class DockerTestEngine
{
    private static readonly Lazy<DockerClient> LazyClient = new(() => new DockerClientBuilder().WithEndpoint(new Uri(Host)).Build());

    public static string Host => Environment.GetEnvironmentVariable("PIPELINE_TEST_DOCKER_HOST") is { Length: > 0 } host
        ? host
        : throw new InvalidOperationException("PIPELINE_TEST_DOCKER_HOST is not set: run the tests through tests/run, or source tests/services/docker.sh first (it starts a Docker engine)");

    public static string Image => Environment.GetEnvironmentVariable("PIPELINE_TEST_DOCKER_IMAGE") is { Length: > 0 } image ? image : "pipeline-test/busybox:1";

    public static DockerClient Client => LazyClient.Value;

    /// <summary>Points this process's docker tasks at the test engine (DOCKER_HOST is what they read).</summary>
    public static void Use() => Environment.SetEnvironmentVariable("DOCKER_HOST", Host);

    /// <summary>Containers, running or not, labelled with the execution.</summary>
    public static Task<IList<ContainerListResponse>> ContainersOf(string executionId) => Labelled($"dev.pipeline.execution={executionId}");

    /// <summary>Containers, running or not, of a workflow's runs.</summary>
    public static Task<IList<ContainerListResponse>> ContainersOfWorkflow(string workflow) => Labelled($"dev.pipeline.workflow={workflow}");

    private static async Task<IList<ContainerListResponse>> Labelled(string label) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });

    /// <summary>Waits (up to a generous deadline) until <paramref name="check"/> holds.</summary>
    public static async Task<T> WaitFor<T>(Func<Task<T>> probe, Func<T, bool> check, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (check(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds}s for {what}");
            await Task.Delay(100);
        }
    }
}
