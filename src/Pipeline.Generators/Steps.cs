namespace Pipeline.Generators;

/// <summary>Names of the generator's tracked steps, for tests that check what re-runs after an edit.</summary>
public static class Steps
{
    public const string Parse = nameof(Parse);
    public const string Model = nameof(Model);
    public const string CrossFile = nameof(CrossFile);
    public const string BuildClass = nameof(BuildClass);
}
