using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Server.Webhooks;

/// <summary>What a webhook's signature says about a delivery.</summary>
public enum SignatureCheck
{
    Valid,
    /// <summary>The hook has a secret and the request carries no signature (nor a bearer token).</summary>
    Missing,
    /// <summary>Not the form <c>sha256=&lt;64 hex digits&gt;</c>.</summary>
    Malformed,
    /// <summary>Well formed, but not the body's HMAC with the hook's secret.</summary>
    Mismatch,
}

/// <summary>
/// GitHub's webhook signature: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the raw
/// body with the hook's secret, compared in constant time so the comparison leaks nothing about
/// how much of a forged signature was right. Pure: the HTTP side maps the result to 401.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static SignatureCheck Check(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(header)) return SignatureCheck.Missing;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64) return SignatureCheck.Malformed;
        byte[] given;
        try { given = Convert.FromHexString(header.AsSpan(Prefix.Length)); }
        catch (FormatException) { return SignatureCheck.Malformed; }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value for <paramref name="body"/>: what GitHub sends, and what tests and load scripts sign with.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();

    /// <summary>A bearer token (<c>Authorization: Bearer &lt;token&gt;</c>), compared in constant time.</summary>
    public static bool BearerMatches(string token, string? authorization)
    {
        const string bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return false;
        var given = Encoding.UTF8.GetBytes(authorization[bearer.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected));
    }
}
