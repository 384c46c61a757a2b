using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

/// <summary>
/// A task's <c>cache</c> field: <c>true</c>, <c>false</c>, or <c>{ "env": ["NODE_ENV"] }</c> to add
/// variables of the process environment to the key (the variables the workflow and the task declare
/// are always in it). A task with <c>inputs</c> is cached unless this says <c>false</c>.
/// </summary>
public sealed record TaskCacheSettings(bool Enabled, IReadOnlyList<LocatedString> Env, SourceSpan Span);

/// <summary>Which tasks the content-addressed cache may skip, and why not.</summary>
public static class TaskCaching
{
    /// <summary>
    /// Types whose work is a process: the cache can replay their log, outputs and files. An http
    /// call, a query or a group has effects elsewhere that a restored entry cannot stand for.
    /// </summary>
    public static bool CanCache(TaskType type) => type is TaskType.Shell or TaskType.JavaScript or TaskType.Python or TaskType.Docker;

    /// <summary>
    /// True when a run may take this task from the cache: a process task that lists its
    /// <c>inputs</c> (correctness first: without them nothing says when its work is stale) and does
    /// not say <c>"cache": false</c>.
    /// </summary>
    public static bool IsCached(this TaskDefinition task) =>
        CanCache(task.Type) && task.Inputs.Count > 0 && task.Cache?.Enabled != false && task.CanonicalJson is not null;
}
