using Pipeline.Core.Model;

namespace Pipeline.Engine.Executors;

/// <summary>The executor of each task type, and which types do work of their own (and so take a slot).</summary>
public sealed class ExecutorRegistry
{
    private readonly Dictionary<TaskType, ITaskExecutor> _executors;

    public ExecutorRegistry(Func<string, TaskDefinition> findTask, IReadOnlyDictionary<TaskType, ITaskExecutor>? overrides = null)
    {
        var script = new ScriptExecutor();
        _executors = new Dictionary<TaskType, ITaskExecutor>
        {
            [TaskType.Shell] = new ShellExecutor(),
            [TaskType.Http] = new HttpExecutor(),
            [TaskType.JavaScript] = script,
            [TaskType.Python] = script,
            [TaskType.Conditional] = new ConditionalExecutor(findTask),
            [TaskType.Parallel] = new ParallelExecutor(findTask),
            [TaskType.Loop] = new LoopExecutor(findTask),
            [TaskType.Code] = new CodeExecutor(),
            [TaskType.Sql] = new Sql.SqlExecutor(),
        };
        if (overrides is not null)
            foreach (var (type, executor) in overrides) _executors[type] = executor;
    }

    /// <summary>
    /// Whether a task type has an executor. Docker tasks live in their own project (Docker.DotNet is
    /// heavy, and most runs never start a container): hosts plug them in through the overrides.
    /// </summary>
    public bool Supports(TaskType type) => _executors.ContainsKey(type);

    public ITaskExecutor For(TaskType type) => _executors.TryGetValue(type, out var e)
        ? e
        : throw new InvalidOperationException($"task type '{type.ToString().ToLowerInvariant()}' cannot be run by this version of the engine");

    /// <summary>Groups, loops and conditionals only wait on their members, so they take no slot; nor does code that says so.</summary>
    public bool NeedsSlot(TaskDefinition task) =>
        task.Type is not (TaskType.Conditional or TaskType.Parallel or TaskType.Loop) && task is not CodeTask { TakesSlot: false };
}
