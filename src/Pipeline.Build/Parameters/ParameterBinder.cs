using System.Globalization;

namespace Pipeline.Build;

/// <summary>One parameter as <c>--help</c> lists it.</summary>
public sealed record ParameterInfo(string Name, string? Description, string Type, bool Secret, string? Value);

/// <summary>
/// Fills parameters from the command line, then from environment variables. The generated
/// <c>BindParameters</c> of a build class calls <see cref="TryGet"/> once per parameter and converts
/// the text with <see cref="ParameterValues"/>; a value that does not convert is an error the host
/// reports with the parameter's name.
/// </summary>
public sealed class ParameterBinder
{
    private readonly Dictionary<string, string> _arguments;
    private readonly Func<string, string?> _environment;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<ParameterInfo> _parameters = [];
    private readonly List<string> _secrets = [];

    internal ParameterBinder(IReadOnlyDictionary<string, string> arguments, Func<string, string?> environment)
    {
        _arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments) _arguments[Normalize(name)] = value;
        _environment = environment;
    }

    public IReadOnlyList<ParameterInfo> Parameters => _parameters;

    /// <summary>Values of [Secret] parameters, to mask.</summary>
    public IReadOnlyList<string> SecretValues => _secrets;

    /// <summary>Command-line options that no parameter took.</summary>
    public IEnumerable<string> Unused => _arguments.Keys.Where(k => !_used.Contains(k));

    /// <param name="type">string, bool, int, long, double, string[], or an enum's names joined by '|'.</param>
    /// <param name="current">The member's value before binding, shown by --help as the default.</param>
    public bool TryGet(string name, string? description, string type, bool secret, string? current, out string value)
    {
        var key = Normalize(name);
        string? found = null;
        if (_arguments.TryGetValue(key, out var fromArgs))
        {
            _used.Add(key);
            found = fromArgs;
        }
        else found = _environment(EnvironmentName(name)) ?? _environment(name);

        if (secret && !string.IsNullOrEmpty(found)) _secrets.Add(found!);
        if (type.Contains('|')) type = string.Join("|", type.Split('|').Select(CommandLineName));
        if (type.Contains('|') && current is not null) current = CommandLineName(current);
        _parameters.Add(new ParameterInfo(CommandLineName(name), description, type, secret, secret && (found ?? current) is { Length: > 0 } ? "***" : found ?? current));
        value = found ?? "";
        return found is not null;
    }

    /// <summary><c>ApiKey</c> → <c>api-key</c>, as the command line spells it.</summary>
    public static string CommandLineName(string name)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_') { text.Append('-'); continue; }
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString().TrimStart('-');
    }

    /// <summary><c>ApiKey</c> → <c>API_KEY</c>.</summary>
    public static string EnvironmentName(string name) => CommandLineName(name).Replace('-', '_').ToUpperInvariant();

    /// <summary>Case and dashes do not matter: <c>--api-key</c>, <c>--apiKey</c> and <c>--ApiKey</c> are one parameter.</summary>
    internal static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}

/// <summary>Conversions the generated binding code calls; no reflection.</summary>
public static class ParameterValues
{
    public static bool ToBoolean(string name, string value) => value.ToLowerInvariant() switch
    {
        "" or "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ParameterException(name, value, "true or false"),
    };

    public static int ToInt32(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ParameterException(name, value, "a whole number");

    public static long ToInt64(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ParameterException(name, value, "a whole number");

    public static double ToDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw new ParameterException(name, value, "a number");

    public static string[] ToArray(string name, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static TEnum ToEnum<TEnum>(string name, string value) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value.Replace("-", ""), ignoreCase: true, out var e) && Enum.IsDefined(e)
            ? e
            : throw new ParameterException(name, value, "one of " + string.Join(", ", Enum.GetNames<TEnum>().Select(ParameterBinder.CommandLineName)));
}

/// <summary>A parameter value that does not convert to the parameter's type.</summary>
public sealed class ParameterException(string name, string value, string expected)
    : Exception($"--{ParameterBinder.CommandLineName(name)} \"{value}\" is not valid: expected {expected}");
