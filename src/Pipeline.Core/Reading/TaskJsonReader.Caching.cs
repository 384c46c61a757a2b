using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>
/// The content-addressed cache's fields: <c>inputs</c> and <c>generates</c> (globs) and <c>cache</c>
/// (<c>true</c>, <c>false</c> or <c>{ "env": [...] }</c>). Only process tasks may have them.
/// </summary>
internal sealed partial class TaskJsonReader
{
    private TaskDefinition ApplyCaching(TaskDefinition task, ObjectFields f, JsonObject obj, string label)
    {
        var inputs = Globs(f, "inputs", label);
        var generates = Globs(f, "generates", label);
        var cache = ReadCacheSettings(f, label);
        var present = new[] { "inputs", "generates", "cache" }.Where(f.Has).ToList();
        if (present.Count > 0 && !TaskCaching.CanCache(task.Type))
        {
            _bag.Report(Descriptors.NotCacheable, f.KeySpan(present[0]),
                $"{label} is a {TaskTypes.NameOf(task.Type)} task; only shell, javascript, python and docker tasks can be cached",
                "remove \"" + string.Join("\", \"", present) + "\": a restored entry cannot stand for a call, a query or a group's effects");
        }
        else if (inputs.Count == 0 && (cache?.Enabled == true || generates.Count > 0))
        {
            var field = cache?.Enabled == true ? "cache" : "generates";
            _bag.Report(Descriptors.CacheWithoutInputs, f.KeySpan(field),
                $"{label} has \"{field}\" but no \"inputs\", so it is never taken from the cache",
                "list the files it reads: \"inputs\": [\"src/**\", \"package.json\"]; without them nothing says when its work is stale");
        }
        return task with
        {
            Inputs = inputs,
            Generates = generates,
            Cache = cache,
            CanonicalJsonSource = () => Evaluator.FromJsonNode(obj).ToJson(indented: false),
        };
    }

    private IReadOnlyList<LocatedString> Globs(ObjectFields f, string field, string label)
    {
        var globs = f.StringList(field);
        foreach (var g in globs)
        {
            var pattern = g.Value.StartsWith("!", System.StringComparison.Ordinal) ? g.Value.Substring(1) : g.Value;
            if (pattern.Trim().Length == 0)
                _bag.Report(Descriptors.InvalidValue, g.Span, $"an empty glob in \"{field}\" of {label}", "write a path or a pattern such as \"src/**/*.ts\"");
            else if (Path.IsPathRooted(pattern) || pattern.StartsWith("~", System.StringComparison.Ordinal))
                _bag.Report(Descriptors.InvalidValue, g.Span, $"\"{g.Value}\" in \"{field}\" of {label} is absolute",
                    "write it relative to the task's working directory, so the cache entry holds in any checkout");
        }
        return globs;
    }

    private TaskCacheSettings? ReadCacheSettings(ObjectFields f, string label)
    {
        var node = f.Get("cache");
        switch (node)
        {
            case null:
                return null;
            case JsonBoolean b:
                return new TaskCacheSettings(b.Value, [], b.Span);
            case JsonObject obj:
            {
                var fields = new ObjectFields(obj, $"\"cache\" of {label}", _bag);
                var env = fields.StringList("env");
                foreach (var name in env)
                    if (name.Value.Length == 0 || name.Value.IndexOf('=') >= 0)
                        _bag.Report(Descriptors.InvalidValue, name.Span, $"\"{name.Value}\" in \"cache.env\" of {label} is not a variable name", "write names only: [\"NODE_ENV\", \"CONFIGURATION\"]");
                fields.ReportUnknown(["env"]);
                return new TaskCacheSettings(true, env, obj.Span);
            }
            default:
                f.WrongType("cache", node, "true, false or { \"env\": [\"NAME\"] }");
                return null;
        }
    }
}
