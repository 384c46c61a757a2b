using Pipeline.Core.Model;
using Pipeline.Engine.Executors;

namespace Pipeline.Executors.Docker;

/// <summary>How a host plugs docker tasks into the engine: <c>RunOptions.Executors = DockerExecutors.Overrides</c>.</summary>
public static class DockerExecutors
{
    public static IReadOnlyDictionary<TaskType, ITaskExecutor> Overrides { get; } =
        new Dictionary<TaskType, ITaskExecutor> { [TaskType.Docker] = new DockerTaskExecutor() };
}
