using System.Text.RegularExpressions;

namespace Pipeline.Engine.Secrets;

/// <summary>
/// Names that say "this holds a secret" (API_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY, GITHUB_PAT,
/// SSH_PRIVATE_KEY, ...). A value passed on the command line under such a name (<c>-e</c>, a
/// Taskfile's <c>NAME=value</c>) is masked in output and stored as <c>***</c>, whether or not a
/// workflow declared it: people pass secrets that way, and a run's parameters are shown by
/// <c>workflow status</c> to anyone who can read the store.
/// </summary>
public static partial class SecretNames
{
    [GeneratedRegex(@"(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|(^|_)PWD($|_)|(^|_)PAT($|_)|API_?KEY|PRIVATE|ACCESS_?KEY|(^|_)KEY($|_)|CREDENTIAL|(^|_)AUTH|COOKIE|SESSION|SIGNING|CERT)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool LooksSecret(string name) => Pattern().IsMatch(name);

    /// <summary>A parameter holds a secret: its name is a declared secret's, or looks like one.</summary>
    public static bool IsSecret(string name, ICollection<string> declaredSecrets) => declaredSecrets.Contains(name) || LooksSecret(name);

    /// <summary>The parameters as they may be stored and shown: values of secret names (declared, or by their look) replaced by ***.</summary>
    public static IReadOnlyDictionary<string, string> MaskParameters(IReadOnlyDictionary<string, string> parameters, ICollection<string> declaredSecrets) =>
        parameters.ToDictionary(p => p.Key, p => IsSecret(p.Key, declaredSecrets) ? SecretMasker.Mask : p.Value, StringComparer.Ordinal);
}
