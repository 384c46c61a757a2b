namespace Pipeline.Server.Webhooks;

/// <summary>
/// One webhook endpoint, <c>POST /hooks/&lt;path&gt;</c>: the workflow it starts and how a delivery
/// proves itself: an HMAC signature with the secret in the environment variable
/// <see cref="SecretVariable"/> (GitHub's form), or a bearer token from <see cref="TokenVariable"/>.
/// Secrets live in the server's environment, never in the workflow file.
/// </summary>
public sealed record WebhookRoute(string Path, string Workflow, string? SecretVariable = null, string? TokenVariable = null)
{
    /// <summary>The path as matched: leading and trailing slashes dropped, <c>/hooks/</c> too.</summary>
    public static string Normalize(string path)
    {
        var p = path.Trim().Trim('/');
        return p.StartsWith("hooks/", StringComparison.Ordinal) ? p["hooks/".Length..] : p;
    }
}
