using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Files;
using Pipeline.Engine.Running;
using Pipeline.Engine.Secrets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// A task's cache key: XXH3-128 over named parts, each itself a hash, in a fixed order —
/// <list type="bullet">
/// <item>the task as written (its compact JSON) and each <c>${...}</c> field as rendered for this run;</item>
/// <item>its working directory relative to the workflow's folder (so checkouts elsewhere share entries);</item>
/// <item>the environment the workflow, <c>--env</c> and the task declare, and the process variables named in <c>cache.env</c>;</item>
/// <item>the path and contents of every file its <c>inputs</c> match, and a <c>file</c> script's contents;</item>
/// <item>the key of each task it depends on (or, for one that is not cached, its definition), so a change upstream invalidates downstream.</item>
/// </list>
/// A value that holds a secret enters as the word <c>secret</c>, never as a hash of it: a key
/// (stored in clear in <c>entry.json</c>) must not let anyone test guesses of a secret. Changing a
/// secret's value therefore does not invalidate entries.
/// </summary>
internal static class CacheKeys
{
    public const string SecretPart = "secret";

    public static (string Key, List<KeyPart> Parts) Compute(TaskDefinition task, RunState run, ExpressionContext context,
        IReadOnlyDictionary<string, string?> env, string workingDirectory, Func<string, string> dependencyKey)
    {
        var masker = run.Masker;
        var parts = new List<KeyPart>
        {
            new("format", CacheEntry.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("type", TaskTypes.NameOf(task.Type)),
            new("definition", ContentHash.Of(task.CanonicalJson!)),
        };
        foreach (var (field, value) in task.InterpolatedFields())
        {
            if (field == "name" || field.StartsWith("env.", StringComparison.Ordinal) || !value.Value.Contains("${", StringComparison.Ordinal)) continue;
            parts.Add(new("field:" + field, Hash(RunEnvironment.Render(value.Value, context), masker)));
        }
        if (task is ScriptTask { File: { } file })
        {
            var path = Path.GetFullPath(RunEnvironment.Render(file.Value, context), run.WorkflowDirectory);
            parts.Add(new("script-file", File.Exists(path) ? ContentHash.OfFile(path) : "missing"));
        }
        parts.Add(new("cwd", ContentHash.Of(Relative(run.WorkflowDirectory, workingDirectory))));

        foreach (var name in EnvironmentNames(task, run).Order(StringComparer.Ordinal))
        {
            var value = env.TryGetValue(name, out var v) ? v : System.Environment.GetEnvironmentVariable(name);
            parts.Add(new("env:" + name, value is null ? "unset" : Hash(value, masker)));
        }

        foreach (var path in FileGlobs.Expand(workingDirectory, task.Inputs.Select(i => i.Value)))
        {
            if (!File.Exists(path)) continue; // a glob matched a directory
            parts.Add(new("input:" + Relative(workingDirectory, path), ContentHash.OfFile(path)));
        }

        for (var t = task; t is not null; t = t.Owner is null ? null : run.Find(t.Owner))
            foreach (var d in t.DependsOn)
                parts.Add(new("needs:" + d.Id, dependencyKey(d.Id)));

        return (Combine(parts), parts);
    }

    /// <summary>What a task that is not cached contributes to the keys of the tasks after it: its definition.</summary>
    public static string DefinitionKey(TaskDefinition task) => "ran:" + ContentHash.Of(task.CanonicalJson ?? task.Id.Value);

    private static string Combine(List<KeyPart> parts)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in parts) text.Append(p.Name).Append('\0').Append(p.Hash).Append('\n');
        return ContentHash.Of(text.ToString());
    }

    /// <summary>The variables the workflow, --env and the task (and its owners) declare, and those cache.env names.</summary>
    private static HashSet<string> EnvironmentNames(TaskDefinition task, RunState run)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in run.Workflow.Environment) names.Add(v.Name.Value);
        foreach (var k in run.Options.Environment.Keys) names.Add(k);
        for (var t = task; t is not null; t = t.Owner is null ? null : run.Find(t.Owner))
        {
            foreach (var v in t.Env) names.Add(v.Name.Value);
            foreach (var v in t.Cache?.Env ?? []) names.Add(v.Value);
        }
        return names;
    }

    private static string Hash(string value, SecretMasker masker) => masker.Reveals(value) ? SecretPart : ContentHash.Of(value);

    /// <summary>A path relative to a folder, with forward slashes, the same on every machine.</summary>
    public static string Relative(string from, string path) => Path.GetRelativePath(from, path).Replace('\\', '/');

    /// <summary>What changed between an earlier key and this one, in a few words ("inputs changed: src/a.ts").</summary>
    public static string Difference(IReadOnlyList<KeyPart> before, IReadOnlyList<KeyPart> now)
    {
        var old = before.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Hash, StringComparer.Ordinal);
        var current = now.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Hash, StringComparer.Ordinal);
        var changed = current.Where(p => !old.TryGetValue(p.Key, out var h) || h != p.Value).Select(p => p.Key)
            .Concat(old.Keys.Where(k => !current.ContainsKey(k))).Distinct().ToList();
        if (changed.Count == 0) return "the key's parts are the same; the entry was removed";
        static string Label(string part) => part.StartsWith("input:", StringComparison.Ordinal) ? part["input:".Length..]
            : part.StartsWith("needs:", StringComparison.Ordinal) ? "task " + part["needs:".Length..]
            : part.StartsWith("env:", StringComparison.Ordinal) ? "$" + part["env:".Length..]
            : part.StartsWith("field:", StringComparison.Ordinal) ? part["field:".Length..] : part;
        var shown = string.Join(", ", changed.Take(3).Select(Label));
        return "changed: " + shown + (changed.Count > 3 ? $" and {changed.Count - 3} more" : "");
    }
}
