using System.Collections.Generic;

namespace Pipeline.Generators.Naming;

/// <summary>
/// The names already taken in one C# scope (a class's members). A name that is taken gets a number
/// (<c>PreBuild2</c>), and the caller reports the rename, so a collision never breaks the build.
/// </summary>
internal sealed class NameScope
{
    /// <summary>Members every class has; a property with one of these names would hide or clash with it.</summary>
    private static readonly string[] ObjectMembers = { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "ReferenceEquals", "Finalize" };

    private readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);

    /// <param name="owner">The enclosing class's name: C# forbids a member of the same name.</param>
    public NameScope(string owner, params string[] reserved)
    {
        _taken.Add(owner);
        foreach (var r in ObjectMembers) _taken.Add(r);
        foreach (var r in reserved) _taken.Add(r);
    }

    /// <returns>The name to use; <paramref name="renamed"/> when it differs from <paramref name="wanted"/>.</returns>
    public string Claim(string wanted, out bool renamed)
    {
        renamed = false;
        if (_taken.Add(wanted)) return wanted;
        renamed = true;
        for (var i = 2; ; i++)
            if (_taken.Add(wanted + i)) return wanted + i;
    }
}
