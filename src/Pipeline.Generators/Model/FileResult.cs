namespace Pipeline.Generators.Model;

/// <summary>
/// What one workflow file yields: the model to emit (null when the file has errors, so a broken
/// file generates nothing and never breaks the compilation of the rest) and its diagnostics.
/// </summary>
internal sealed record FileResult(WorkflowModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, WorkflowKey? Key);

/// <summary>What cross-file checks need: the workflow's name and class, and where the name is written.</summary>
internal sealed record WorkflowKey(string WorkflowName, string ClassName, DiagnosticInfo NameLocation);

/// <summary>The project settings the generator reads (build_property.*).</summary>
internal sealed record GeneratorOptions(string Namespace, string ProjectDirectory);
