using System.Collections.Generic;

namespace Pipeline.Core.Model;

/// <summary>The kinds of task. The JSON names are the seed's words (<see cref="TaskTypes"/>).</summary>
public enum TaskType
{
    Shell,
    Http,
    Docker,
    JavaScript,
    Python,
    Conditional,
    Parallel,
    Loop,
    Sql,
    /// <summary>A task read from a go-task Taskfile.yml (its cmds, deps and vars keep go-task's meaning).</summary>
    Taskfile,
    /// <summary>C# code: a build target, or a step a build project adds in code. Never written in a workflow file.</summary>
    Code,
}

public static class TaskTypes
{
    /// <summary>The names accepted in "type" of a workflow.json task.</summary>
    public static readonly IReadOnlyDictionary<string, TaskType> ByName = new Dictionary<string, TaskType>
    {
        ["shell"] = TaskType.Shell,
        ["http"] = TaskType.Http,
        ["docker"] = TaskType.Docker,
        ["javascript"] = TaskType.JavaScript,
        ["python"] = TaskType.Python,
        ["conditional"] = TaskType.Conditional,
        ["parallel"] = TaskType.Parallel,
        ["loop"] = TaskType.Loop,
        ["sql"] = TaskType.Sql,
    };

    /// <summary>The type's name as written in files and shown in reports (constant strings: this is called for every task run).</summary>
    public static string NameOf(TaskType type) => type switch
    {
        TaskType.Shell => "shell",
        TaskType.Http => "http",
        TaskType.Docker => "docker",
        TaskType.JavaScript => "javascript",
        TaskType.Python => "python",
        TaskType.Conditional => "conditional",
        TaskType.Parallel => "parallel",
        TaskType.Loop => "loop",
        TaskType.Sql => "sql",
        TaskType.Taskfile => "taskfile",
        TaskType.Code => "code",
        _ => type.ToString().ToLowerInvariant(),
    };
}
