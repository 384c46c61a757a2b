namespace Pipeline.Build;

/// <summary>
/// A build parameter: a field or settable property of the build class filled from the command line
/// (<c>--configuration Release</c>, <c>--configuration=Release</c>; dashes and case ignored) or else
/// from an environment variable (<c>CONFIGURATION</c>). Supported types: string, bool (a bare
/// <c>--flag</c> is true), int, long, double, enums and string[] (comma-separated).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>The name on the command line and in the environment, when not the member's.</summary>
    public string? Name { get; init; }
}

/// <summary>A parameter whose value is masked (<c>***</c>) in everything the build prints and records.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
