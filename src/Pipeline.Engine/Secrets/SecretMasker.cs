using System.Buffers;
using System.Text;

namespace Pipeline.Engine.Secrets;

/// <summary>
/// Replaces secret values with <c>***</c> in every text the engine publishes: output lines, errors,
/// outputs and reports. Secrets leak in disguise more often than as written, so each one is masked
/// in the forms it takes on its way out (<see cref="SecretForms"/>): each line of a multi-line
/// value; its Base64 wherever it sits in a longer Base64 stream (<c>user:secret</c> in a Basic
/// header, a trailing newline from <c>echo | base64</c>), including the pieces at the ends of lines
/// when the stream is wrapped at 76 columns; URL-encoded as every common library does it; and
/// JSON-escaped. Longest forms are replaced first, so a secret that contains another is masked whole.
/// <para>
/// A secret shorter than <see cref="MinimumLength"/> characters cannot be masked: every occurrence
/// of its letters would become <c>***</c> while its encodings leak. The masker ignores such values,
/// and the run refuses them before it starts (as GitHub Actions, in effect, does not mask them).
/// </para>
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    /// <summary>Secrets must be at least this long to be masked; shorter ones are refused by the runners.</summary>
    public const int MinimumLength = 4;

    public static readonly SecretMasker None = new([]);

    private readonly string[] _forms;
    private readonly SearchValues<string>? _search;
    private readonly string[] _base64Fragments;

    public SecretMasker(IEnumerable<string> secrets)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var fragments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in secrets)
        {
            if (string.IsNullOrEmpty(s) || s.Length < MinimumLength) continue;
            foreach (var form in SecretForms.Of(s)) if (form.Length >= MinimumLength) forms.Add(form);
            foreach (var fragment in SecretForms.Base64Fragments(s)) fragments.Add(fragment);
        }
        _forms = forms.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray();
        _search = _forms.Length == 0 ? null : SearchValues.Create(_forms, StringComparison.Ordinal);
        _base64Fragments = fragments.Where(f => f.Length > EdgeMinimum).ToArray();
    }

    /// <summary>Why a value cannot be a secret, or null when it can.</summary>
    public static string? Problem(string value) =>
        value.Length is > 0 and < MinimumLength
            ? $"it is {value.Length} character{(value.Length == 1 ? "" : "s")} long; secrets must have at least {MinimumLength}, or they cannot be masked in output"
            : null;

    public bool IsEmpty => _forms.Length == 0;

    public string Apply(string text)
    {
        if (_search is null || string.IsNullOrEmpty(text)) return text;
        if (text.AsSpan().IndexOfAny(_search) >= 0)
            foreach (var v in _forms)
                if (text.Contains(v, StringComparison.Ordinal)) text = text.Replace(v, Mask, StringComparison.Ordinal);
        return _base64Fragments.Length == 0 ? text : MaskWrappedBase64(text);
    }

    /// <summary>True when <paramref name="text"/> holds a secret in any of the forms <see cref="Apply"/> masks.</summary>
    public bool Reveals(string text) => _forms.Length > 0 && !string.Equals(Apply(text), text, StringComparison.Ordinal);

    public string? ApplyOrNull(string? text) => text is null ? null : Apply(text);

    public IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> values)
    {
        if (_forms.Length == 0 || values.Count == 0) return values;
        return values.ToDictionary(kv => kv.Key, kv => Apply(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>The shortest piece of a Base64 form masked at the start or end of a line (shorter ones carry under 5 bytes).</summary>
    private const int EdgeMinimum = 6;

    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=");

    /// <summary>
    /// Base64 wrapped at 76 columns (base64, PEM, MIME) splits a secret's form across lines: the end
    /// of one line holds its beginning, the next line starts with the rest, and a long one fills whole
    /// lines between. Lines made only of Base64 characters get those pieces masked.
    /// </summary>
    private string MaskWrappedBase64(string text)
    {
        if (text.IndexOf('\n') < 0) return MaskEdges(text);
        var lines = text.Split('\n');
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var masked = MaskEdges(lines[i]);
            if (!ReferenceEquals(masked, lines[i])) { lines[i] = masked; changed = true; }
        }
        return changed ? string.Join('\n', lines) : text;
    }

    private string MaskEdges(string line)
    {
        var content = line.AsSpan().TrimEnd('\r');
        if (content.Length < EdgeMinimum || content.IndexOfAnyExcept(Base64Alphabet) >= 0) return line;
        int head = 0, tail = 0;
        foreach (var f in _base64Fragments)
        {
            // A long secret's Base64 can fill a whole wrapped line, with more of it on both sides.
            if (f.AsSpan().IndexOf(content, StringComparison.Ordinal) >= 0) return Mask + line[content.Length..];
            for (var k = Math.Min(f.Length - 1, content.Length); k >= EdgeMinimum && k > tail; k--)
                if (content.EndsWith(f.AsSpan(0, k), StringComparison.Ordinal)) { tail = k; break; }
            for (var k = Math.Min(f.Length - 1, content.Length); k >= EdgeMinimum && k > head; k--)
                if (content.StartsWith(f.AsSpan(f.Length - k), StringComparison.Ordinal)) { head = k; break; }
        }
        if (head == 0 && tail == 0) return line;
        if (head + tail >= content.Length) return Mask + line[content.Length..];
        return (head > 0 ? Mask : "") + line[head..(content.Length - tail)] + (tail > 0 ? Mask : "") + line[content.Length..];
    }
}
