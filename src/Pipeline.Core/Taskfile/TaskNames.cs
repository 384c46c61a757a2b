using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// go-task's name resolution within one Taskfile: exact name, then alias, then wildcard (<c>start-*</c>).
/// A leading ':' refers to the root Taskfile; <c>ns:task</c> refers to an included Taskfile.
/// </summary>
internal sealed class TaskNames
{
    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _aliases = new(StringComparer.Ordinal);
    private readonly List<(Regex Pattern, string Name)> _wildcards = new();
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);

    public TaskNames(TaskfileDocument doc)
    {
        foreach (var t in doc.Tasks)
        {
            _exact[t.Name.Value] = t.Name.Value;
            foreach (var a in t.Aliases)
            {
                if (!_aliases.TryGetValue(a.Value, out var list)) _aliases[a.Value] = list = new List<string>();
                list.Add(t.Name.Value);
            }
            if (t.Name.Value.Contains("*"))
                _wildcards.Add((new Regex("^" + string.Join("(.*)", t.Name.Value.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant), t.Name.Value));
        }
        foreach (var inc in doc.Includes)
        {
            _namespaces.Add(inc.Namespace.Value);
            foreach (var a in inc.Aliases) _namespaces.Add(a.Value);
        }
    }

    public IEnumerable<string> All => _exact.Keys;

    /// <summary>The local task a reference means; null when it is unknown or in an included Taskfile.</summary>
    public string? Resolve(string reference, out bool external)
    {
        external = false;
        var name = reference.StartsWith(":", StringComparison.Ordinal) ? reference.Substring(1) : reference;
        if (_exact.TryGetValue(name, out var exact)) return exact;
        if (_aliases.TryGetValue(name, out var owners) && owners.Count == 1) return owners[0];
        foreach (var (pattern, task) in _wildcards)
            if (pattern.IsMatch(name)) return task;
        var colon = name.IndexOf(':');
        if (colon > 0 && _namespaces.Contains(name.Substring(0, colon))) external = true;
        else if (_namespaces.Contains(name)) external = true; // a bare namespace runs its default task
        return null;
    }

    public bool IsAmbiguousAlias(string reference, out IReadOnlyList<string> owners)
    {
        owners = _aliases.TryGetValue(reference, out var list) ? list : new List<string>();
        return owners.Count > 1 && !_exact.ContainsKey(reference);
    }
}
