using Pipeline.Cli.Output;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Engine.Secrets;

namespace Pipeline.Cli.Running;

/// <summary>
/// Reads the values of a workflow's declared secrets from environment variables (each secret's
/// <c>from</c>, by default its name). A missing secret stops the run before anything starts (WF4009),
/// and so does one too short to be masked (WF4012). <c>-e NAME=value</c> parameters under a declared
/// secret's name, or a name that looks secret (<see cref="SecretNames"/>), are secrets too.
/// </summary>
public static class SecretResolver
{
    public static Dictionary<string, string>? Resolve(WorkflowDefinition workflow, TextWriter error,
        IReadOnlyDictionary<string, string>? parameters = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var s in workflow.Secrets)
        {
            var value = Environment.GetEnvironmentVariable(s.From);
            if (string.IsNullOrEmpty(value))
            {
                TextReporter.WriteDiagnostic(error, new Diagnostic(Descriptors.SecretNotSet, s.Span,
                    $"secret '{s.Name.Value}' has no value: environment variable {s.From} is not set",
                    $"export {s.From}=... before running, or set it in your CI's secret store"), null);
                ok = false;
            }
            else if (SecretMasker.Problem(value) is { } problem)
            {
                TextReporter.WriteDiagnostic(error, new Diagnostic(Descriptors.SecretTooShort, s.Span,
                    $"secret '{s.Name.Value}' (from {s.From}) cannot be masked: {problem}",
                    "use a real secret value; a value this short would turn every matching letter of the output into ***"), null);
                ok = false;
            }
            else values[s.Name.Value] = value;
        }
        var declaredNames = DeclaredNames(workflow);
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            if (!SecretNames.IsSecret(name, declaredNames)) continue;
            var declared = declaredNames.Contains(name);
            if (SecretMasker.Problem(value) is { } problem)
            {
                // A declared secret must be maskable; a name that only looks secret (DEBUG_KEY=1) is stored masked and otherwise left alone.
                if (!declared) continue;
                error.WriteLine($"workflow: -e {name}: the secret cannot be masked: {problem} (WF4012)");
                ok = false;
            }
            else values[ParameterPrefix + name] = value;
        }
        return ok ? values : null;
    }

    /// <summary>Keys of the parameters among the values: masked, not reachable as secrets.* (see <see cref="Split"/>).</summary>
    public const string ParameterPrefix = "-e ";

    /// <summary>The declared secrets (secrets.*), and the other values to mask.</summary>
    public static (Dictionary<string, string> Secrets, List<string> Masked) Split(Dictionary<string, string> resolved) =>
        (resolved.Where(kv => !kv.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
         resolved.Where(kv => kv.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList());

    /// <summary>Every name a declared secret goes by: its own and the variable it is read from.</summary>
    public static HashSet<string> DeclaredNames(WorkflowDefinition workflow) =>
        new(workflow.Secrets.SelectMany(s => new[] { s.Name.Value, s.From }), StringComparer.Ordinal);
}
