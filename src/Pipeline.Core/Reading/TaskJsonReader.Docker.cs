using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>The docker task's fields: what to run (image or build), how (command, entrypoint, env, volumes) and with which limits.</summary>
internal sealed partial class TaskJsonReader
{
    private static readonly string[] BuildFields = { "context", "dockerfile", "args", "tag" };

    private TaskDefinition? ReadDocker(ObjectFields f, LocatedString id, string label)
    {
        var image = f.String("image");
        var build = ReadBuild(f, label);
        if (image is null && build is null && !f.Has("image") && !f.Has("build"))
            _bag.Report(Descriptors.MissingTaskField, f.Object.Span, $"docker {label} needs \"image\" (or \"build\" to build one first)",
                "add \"image\": \"alpine:3.20\", or \"build\": \"./docker\" (a folder with a Dockerfile)");
        else if (image is not null && image.Value.Trim().Length == 0)
            _bag.Report(Descriptors.MissingTaskField, image.Span, $"\"image\" of {label} is empty", "write \"image\": \"alpine:3.20\"");
        if (image is not null && build is not null)
            _bag.Report(Descriptors.ConflictingFields, f.KeySpan("build"), $"docker {label} has both \"image\" and \"build\"",
                "keep \"build\" (name the built image with \"build\": { \"tag\": ... }) or \"image\"");

        LocatedString? command = null;
        var args = f.StringList("args");
        switch (f.Get("command"))
        {
            case JsonString cs: command = cs.Located; break;
            case JsonArray list: args = ListFrom(list, "command", label); break;
            case { } other: f.WrongType("command", other, "a string or a list of strings"); break;
        }
        IReadOnlyList<LocatedString>? entrypoint = f.Get("entrypoint") switch
        {
            JsonString es => new[] { es.Located },
            JsonArray list => ListFrom(list, "entrypoint", label),
            null => null,
            var other => Wrong(f, "entrypoint", other),
        };

        var volumes = f.StringList("volumes");
        foreach (var volume in volumes.Where(v => !v.Value.Contains("${")))
            if (DockerTask.VolumeProblem(volume.Value) is { } problem)
                _bag.Report(Descriptors.InvalidValue, volume.Span, $"volume \"{volume.Value}\" of {label}: {problem}",
                    "write \"host-path:/container/path\" or \"host-path:/container/path:ro\" (relative host paths start at the workflow's folder)");

        var pull = f.Choice("pull", DockerTask.PullPolicies);
        if (image is null && build is not null && pull is not null)
            _bag.Report(Descriptors.InvalidValue, pull.Span, $"\"pull\" of {label} has no effect: the image is built", "remove \"pull\"");
        var cleanup = f.Bool("cleanup_images") ?? false;
        if (cleanup && build is null)
            _bag.Report(Descriptors.InvalidValue, f.KeySpan("cleanup_images"), $"\"cleanup_images\" of {label} removes only images the task builds, and it builds none",
                "remove \"cleanup_images\", or add \"build\"", Severity.Warning);

        return image is null && build is null ? null : new DockerTask
        {
            Id = id, Image = build is null ? image : null, Build = build, Command = command, Args = args, Entrypoint = entrypoint,
            Volumes = volumes, Workdir = f.String("workdir"), User = f.String("user"), Network = f.String("network"),
            Memory = ReadMemory(f, label), Cpus = ReadCpus(f, label), Pull = pull?.Value ?? "missing",
            Keep = f.Bool("keep") ?? false, CleanupImages = cleanup,
        };
    }

    private static IReadOnlyList<LocatedString>? Wrong(ObjectFields f, string field, JsonNode node)
    {
        f.WrongType(field, node, "a string or a list of strings");
        return null;
    }

    /// <summary><c>"build": "./docker"</c> (the context) or <c>{ "context", "dockerfile", "args", "tag" }</c>.</summary>
    private DockerBuild? ReadBuild(ObjectFields f, string label)
    {
        switch (f.Get("build"))
        {
            case null: return null;
            case JsonString context: return new DockerBuild { Context = context.Located, Span = context.Span };
            case JsonObject obj:
                var b = new ObjectFields(obj, $"\"build\" of {label}", _bag);
                var ctx = b.String("context", required: true, "add \"context\": \".\" (the folder sent to the engine, relative to the workflow file)");
                var built = ctx is null ? null : new DockerBuild
                {
                    Context = ctx, Dockerfile = b.String("dockerfile"), Args = b.Pairs("args"), Tag = b.String("tag"), Span = obj.Span,
                };
                b.ReportUnknown(BuildFields);
                return built;
            case var other:
                f.WrongType("build", other, "a folder (the build context) or an object with \"context\"");
                return null;
        }
    }

    private Located<long>? ReadMemory(ObjectFields f, string label)
    {
        var node = f.Get("memory");
        if (node is null) return null;
        long? bytes = node switch
        {
            JsonNumber n when n.TryGetInt64(out var v) => v,
            JsonString s => ParseBytes(s.Value),
            _ => null,
        };
        // The engine refuses less than 6 MB.
        if (bytes is null or < 6 * 1024 * 1024)
        {
            _bag.Report(Descriptors.InvalidValue, node.Span, $"\"memory\" of {label} must be a size of at least 6m, such as \"512m\" or \"2g\", not {ObjectFields.Describe(node)}",
                "write \"512m\" (units b, k, m, g; a plain number is bytes)");
            return null;
        }
        return new Located<long>(bytes.Value, node.Span);
    }

    /// <summary>A size as docker writes it: 512m, 2g, 1024k, 1048576 (bytes); a trailing b is allowed (512mb).</summary>
    internal static long? ParseBytes(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith("b", StringComparison.Ordinal)) t = t.Substring(0, t.Length - 1);
        long factor = 1;
        if (t.Length > 0 && "kmg".IndexOf(t[t.Length - 1]) is var unit and >= 0)
        {
            factor = 1L << (10 * (unit + 1));
            t = t.Substring(0, t.Length - 1);
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || number * factor > long.MaxValue) return null;
        return (long)(number * factor);
    }

    private Located<double>? ReadCpus(ObjectFields f, string label)
    {
        var node = f.Get("cpus");
        if (node is null) return null;
        double? cpus = node switch
        {
            JsonNumber n => n.Value,
            JsonString s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => null,
        };
        if (cpus is null or <= 0 or > 1024)
        {
            _bag.Report(Descriptors.InvalidValue, node.Span, $"\"cpus\" of {label} must be a positive number of CPUs, such as 0.5 or 2, not {ObjectFields.Describe(node)}", "write \"cpus\": 1.5");
            return null;
        }
        return new Located<double>(cpus.Value, node.Span);
    }
}
