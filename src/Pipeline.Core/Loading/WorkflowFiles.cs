using System;
using System.IO;

namespace Pipeline.Core.Loading;

/// <summary>What a file holds: the workflow schema (as JSON or as YAML), a go-task Taskfile, or neither.</summary>
public enum WorkflowFileKind { None, WorkflowJson, Taskfile, WorkflowYaml }

/// <summary>Which files are workflows, by name alone (no I/O, so the source generator can use it).</summary>
public static class WorkflowFiles
{
    /// <summary>Largest file read: larger ones are refused with WF1004 (a real workflow is a few KB).</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The patterns <c>workflow validate</c> searches when given no path, relative to the current directory.</summary>
    public static readonly string[] DefaultPatterns =
        { "workflows/**/*.workflow.json", "workflows/**/*.workflow.yml", "*.workflow.json", "*.workflow.yml", "workflow.yml", "Taskfile.yml" };

    /// <summary>go-task's Taskfile names, in its lookup order (in a directory given as an include, or where a run starts).</summary>
    public static readonly string[] TaskfileNames =
    {
        "Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml",
        "Taskfile.dist.yml", "taskfile.dist.yml", "Taskfile.dist.yaml", "taskfile.dist.yaml",
    };

    /// <summary>The Taskfile go-task would read in <paramref name="directory"/>, or null.</summary>
    public static string? TaskfileIn(string directory)
    {
        foreach (var name in TaskfileNames)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    public static WorkflowFileKind KindOf(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".workflow.json", StringComparison.OrdinalIgnoreCase)) return WorkflowFileKind.WorkflowJson;
        if (name.Equals("workflow.json", StringComparison.OrdinalIgnoreCase)) return WorkflowFileKind.WorkflowJson;
        // The workflow schema written in YAML (seed §1); only go-task's own names are Taskfiles.
        if (name.EndsWith(".workflow.yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".workflow.yaml", StringComparison.OrdinalIgnoreCase)
            || name.Equals("workflow.yml", StringComparison.OrdinalIgnoreCase) || name.Equals("workflow.yaml", StringComparison.OrdinalIgnoreCase))
            return WorkflowFileKind.WorkflowYaml;
        if (IsTaskfileName(name)) return WorkflowFileKind.Taskfile;
        return WorkflowFileKind.None;
    }

    /// <summary>A file of the workflow schema, JSON or YAML (not a Taskfile).</summary>
    public static bool IsWorkflow(WorkflowFileKind kind) => kind is WorkflowFileKind.WorkflowJson or WorkflowFileKind.WorkflowYaml;

    /// <summary>go-task's file names: Taskfile.yml, taskfile.yaml, Taskfile.dist.yml, ...; also any *.yml given explicitly.</summary>
    public static bool IsTaskfileName(string name) =>
        name.StartsWith("taskfile.", StringComparison.OrdinalIgnoreCase) &&
        (name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase));
}
