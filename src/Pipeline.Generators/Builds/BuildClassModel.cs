using Pipeline.Generators.Model;

namespace Pipeline.Generators.Builds;

/// <summary>A build class (deriving from Pipeline.Build.PipelineBuild) as the emitter needs it: its targets and parameters.</summary>
internal sealed record BuildClassModel(
    string? Namespace,
    string ClassName,
    string HintName,
    EquatableArray<string> Targets,
    EquatableArray<ParameterModel> Parameters);

/// <param name="Kind">string, bool, int, long, double, enum or string[].</param>
/// <param name="EnumType">The enum's fully qualified name when <paramref name="Kind"/> is enum.</param>
/// <param name="EnumValues">Its member names joined by '|', for --help.</param>
internal sealed record ParameterModel(string Member, string Name, string? Description, string Kind, string? EnumType, string? EnumValues, bool Secret, bool Nullable);

/// <summary>What the build-class step yields: the model (null when it has errors) and its diagnostics.</summary>
internal sealed record BuildClassResult(BuildClassModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
