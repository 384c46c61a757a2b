namespace Pipeline.Core.Typed;

/// <summary>An environment variable a workflow declares (<c>Workflows.Deploy.Env.ApiUrl</c>).</summary>
public sealed class EnvHandle
{
    public EnvHandle(string name, string declaredValue)
    {
        Name = name;
        DeclaredValue = declaredValue;
    }

    public string Name { get; }

    /// <summary>The value written in the file (it may contain <c>${...}</c>, rendered when the workflow runs).</summary>
    public string DeclaredValue { get; }

    /// <summary>How a task reads it: <c>${env.API_URL}</c>.</summary>
    public string Expression => "${env." + Name + "}";

    /// <summary>The variable in this process's environment, if set.</summary>
    public string? Current => System.Environment.GetEnvironmentVariable(Name);

    public override string ToString() => Name;
}
