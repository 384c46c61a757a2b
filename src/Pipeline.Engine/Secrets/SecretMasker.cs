using System.Text;

namespace Pipeline.Engine.Secrets;

/// <summary>
/// Replaces secret values with <c>***</c> in every text the engine publishes: output lines, errors,
/// outputs and reports. Each secret is masked as written and in its Base64 and URL-encoded forms,
/// since those are how secrets most often leak (an Authorization header, a URL). Longest values are
/// replaced first so a secret that contains another is masked whole.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    public static readonly SecretMasker None = new([]);

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> secrets)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in secrets)
        {
            if (string.IsNullOrEmpty(s)) continue;
            values.Add(s);
            if (s.Length >= 3)
            {
                values.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
                values.Add(Uri.EscapeDataString(s));
            }
        }
        _values = values.OrderByDescending(v => v.Length).ToArray();
    }

    public bool IsEmpty => _values.Length == 0;

    public string Apply(string text)
    {
        if (_values.Length == 0 || string.IsNullOrEmpty(text)) return text;
        foreach (var v in _values)
            if (text.Contains(v, StringComparison.Ordinal)) text = text.Replace(v, Mask, StringComparison.Ordinal);
        return text;
    }

    public string? ApplyOrNull(string? text) => text is null ? null : Apply(text);

    public IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> values)
    {
        if (_values.Length == 0 || values.Count == 0) return values;
        return values.ToDictionary(kv => kv.Key, kv => Apply(kv.Value), StringComparer.Ordinal);
    }
}
