using Pipeline.Cli.Output;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;

namespace Pipeline.Cli.Running;

/// <summary>
/// Reads the values of a workflow's declared secrets from environment variables (each secret's
/// <c>from</c>, by default its name). A missing secret stops the run before anything starts (WF4009).
/// </summary>
public static class SecretResolver
{
    public static Dictionary<string, string>? Resolve(WorkflowDefinition workflow, TextWriter error)
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
            else values[s.Name.Value] = value;
        }
        return ok ? values : null;
    }
}
