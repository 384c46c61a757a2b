namespace Pipeline.Generators.Model;

/// <summary>
/// Everything the emitter needs for one workflow file, as values: no Roslyn or Core objects, and no
/// positions, so a change that does not alter the generated code (a blank line, a moved comment)
/// leaves this equal and nothing is emitted again.
/// </summary>
internal sealed record WorkflowModel(
    string Namespace,
    string ClassName,
    string WorkflowName,
    string File,
    string? Description,
    bool IsTaskfile,
    EquatableArray<TaskModel> Tasks,
    EquatableArray<EnvModel> Environment,
    /// <summary>The C# expression that builds the WorkflowDefinition (null for a Taskfile, or a file with errors).</summary>
    string? DefinitionExpression,
    /// <summary>
    /// Why the file cannot run, when it has errors: its typed members are still emitted, so code that
    /// names them compiles and the only errors are the file's own (no cascade of CS0117 in Build.cs);
    /// its definition throws this instead of being built.
    /// </summary>
    string? Invalid = null);

/// <summary>One task: its generated property (and, with outputs, its nested class) and what it says about itself.</summary>
internal sealed record TaskModel(
    string PropertyName,
    string? ClassName,
    string Id,
    string Type,
    string? Name,
    string? Description,
    EquatableArray<OutputModel> Outputs);

internal sealed record OutputModel(string PropertyName, string Name, string? Description);

internal sealed record EnvModel(string PropertyName, string Name, string DeclaredValue);
