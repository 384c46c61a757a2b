using System;
using System.Collections.Generic;

namespace Pipeline.Core.Expressions;

/// <summary>The functions of the language, with their arity; names are case-insensitive.</summary>
public static class Functions
{
    public sealed class Signature
    {
        public Signature(string name, int min, int max, string usage)
        {
            Name = name;
            MinArgs = min;
            MaxArgs = max;
            Usage = usage;
        }

        public string Name { get; }
        public int MinArgs { get; }
        public int MaxArgs { get; }
        public string Usage { get; }
    }

    /// <summary>Status functions: a condition that calls none of them is read as <c>success() &amp;&amp; (condition)</c>.</summary>
    public static readonly IReadOnlyCollection<string> StatusFunctions = new[] { "success", "failure", "cancelled", "always" };

    public static readonly IReadOnlyDictionary<string, Signature> All = Build(
        new Signature("contains", 2, 2, "contains(search, item)"),
        new Signature("startsWith", 2, 2, "startsWith(text, prefix)"),
        new Signature("endsWith", 2, 2, "endsWith(text, suffix)"),
        new Signature("format", 1, int.MaxValue, "format('{0} and {1}', a, b)"),
        new Signature("join", 1, 2, "join(array, ', ')"),
        new Signature("toJSON", 1, 1, "toJSON(value)"),
        new Signature("fromJSON", 1, 1, "fromJSON('{\"a\": 1}')"),
        new Signature("case", 3, int.MaxValue, "case(env.MODE == 'release', 'prod', env.MODE == 'beta', 'staging', 'dev')"),
        new Signature("success", 0, 0, "success()"),
        new Signature("failure", 0, 0, "failure()"),
        new Signature("cancelled", 0, 0, "cancelled()"),
        new Signature("always", 0, 0, "always()"));

    private static IReadOnlyDictionary<string, Signature> Build(params Signature[] signatures)
    {
        var map = new Dictionary<string, Signature>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in signatures) map.Add(s.Name, s);
        return map;
    }

    public static bool IsStatusFunction(string name)
    {
        foreach (var s in StatusFunctions)
            if (string.Equals(s, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
