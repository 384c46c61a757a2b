using System.Text;

namespace Pipeline.Engine.Secrets;

/// <summary>The shapes a secret takes on its way out of a task, each of which must be masked.</summary>
internal static class SecretForms
{
    public static IEnumerable<string> Of(string secret)
    {
        yield return secret;
        // Each line of a multi-line value (a key, a certificate): output is shown and stored line by line.
        if (secret.IndexOf('\n') >= 0)
            foreach (var line in secret.Split('\n'))
                yield return line.TrimEnd('\r');
        foreach (var form in Base64Fragments(secret)) yield return form;
        foreach (var form in UrlEncoded(secret)) yield return form;
        foreach (var form in JsonEscaped(secret)) yield return form;
    }

    /// <summary>
    /// The Base64 of the secret as it appears inside any longer Base64 stream: for each of the three
    /// byte offsets it can start at, the characters that depend on the secret's bytes only (the first
    /// and last characters of the run also carry bits of the neighbouring bytes, so they differ from
    /// stream to stream). Standard and URL-safe alphabets. At offset 0 with nothing after it, this is
    /// the secret's own Base64 minus its last partial group.
    /// </summary>
    public static IEnumerable<string> Base64Fragments(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var whole = Convert.ToBase64String(bytes);
        yield return whole;
        yield return UrlSafe(whole);
        for (var offset = 0; offset < 3; offset++)
        {
            var shifted = new byte[offset + bytes.Length];
            bytes.CopyTo(shifted, offset);
            var encoded = Convert.ToBase64String(shifted);
            var skip = offset switch { 0 => 0, 1 => 2, _ => 3 };      // leading characters that mix in the bytes before
            var drop = (shifted.Length % 3) switch { 0 => 0, 1 => 3, _ => 2 }; // trailing ones that mix in the bytes after (and padding)
            if (encoded.Length - skip - drop < SecretMasker.MinimumLength) continue;
            var fragment = encoded.Substring(skip, encoded.Length - skip - drop);
            yield return fragment;
            yield return UrlSafe(fragment);
        }
    }

    private static string UrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_').TrimEnd('=');

    /// <summary>
    /// Percent-encoding as libraries do it: upper- or lower-case hex; a space as %20 or +
    /// (form encoding, Python's quote_plus); '/' kept (Python's quote) or encoded; and !'()* kept
    /// (JavaScript's encodeURIComponent) or encoded (.NET's EscapeDataString).
    /// </summary>
    private static IEnumerable<string> UrlEncoded(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        foreach (var lower in new[] { false, true })
            foreach (var plus in new[] { false, true })
                foreach (var keepSlash in new[] { false, true })
                    foreach (var keepMarks in new[] { false, true })
                    {
                        var text = new StringBuilder(bytes.Length * 3);
                        foreach (var b in bytes)
                        {
                            var c = (char)b;
                            if (b < 128 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'
                                || (keepSlash && c == '/') || (keepMarks && c is '!' or '\'' or '(' or ')' or '*')))
                                text.Append(c);
                            else if (plus && c == ' ') text.Append('+');
                            else text.Append('%').Append(b.ToString(lower ? "x2" : "X2"));
                        }
                        yield return text.ToString();
                    }
    }

    /// <summary>
    /// Inside a JSON string, as serializers write it: non-ASCII kept or escaped (\u00e9 from Python,
    /// \u00E9 from .NET), HTML-sensitive characters kept or escaped (.NET escapes &lt;&gt;&amp;'+`, Go &lt;&gt;&amp;),
    /// a quote as \" or \u0022, a slash kept or as \/.
    /// </summary>
    private static IEnumerable<string> JsonEscaped(string secret)
    {
        foreach (var nonAscii in new[] { false, true })
            foreach (var lower in new[] { false, true })
                foreach (var html in new[] { "", "<>&", "<>&'+`" }) // none, Go's, .NET's
                    foreach (var quoteAsCode in new[] { false, true })
                        foreach (var slash in new[] { false, true })
                        {
                            var text = new StringBuilder(secret.Length + 8);
                            foreach (var c in secret)
                            {
                                string Code() => "\\u" + ((int)c).ToString(lower ? "x4" : "X4");
                                text.Append(c switch
                                {
                                    '"' => quoteAsCode ? Code() : "\\\"",
                                    '\\' => "\\\\",
                                    '/' => slash ? "\\/" : "/",
                                    '\n' => "\\n",
                                    '\r' => "\\r",
                                    '\t' => "\\t",
                                    '\b' => "\\b",
                                    '\f' => "\\f",
                                    < ' ' => Code(),
                                    > '~' when nonAscii => Code(),
                                    _ when html.IndexOf(c) >= 0 => Code(),
                                    _ => c.ToString(),
                                });
                            }
                            yield return text.ToString();
                        }
    }
}
