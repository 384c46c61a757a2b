using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Text;
using Pipeline.Generators.Emitting;
using Pipeline.Generators.Model;
using Pipeline.Generators.Naming;

namespace Pipeline.Generators.Parsing;

/// <summary>
/// From a valid workflow to the emitter's model: C# names for the workflow, its tasks, their outputs
/// and its environment variables (renames reported as WF5001), and the definition as a C# expression.
/// </summary>
internal static class ModelBuilder
{
    /// <summary>Members of every generated workflow class; a task cannot take these names.</summary>
    private static readonly string[] WorkflowMembers = { "Workflow", "Name", "File", "Env", "CreateDefinition" };

    /// <summary>Members of <c>TaskHandle</c>; an output cannot take these names.</summary>
    private static readonly string[] TaskMembers = { "Workflow", "Id", "Type", "Name", "Description", "DisplayName", "Outputs", "Output" };

    /// <param name="invalid">The file's first error, when it has any: the definition is not built (see <see cref="WorkflowModel.Invalid"/>).</param>
    /// <param name="brokenTasks">Tasks the reader could not build (an unknown type...): members all the same, so code naming them still compiles.</param>
    public static WorkflowModel? Build(WorkflowDefinition w, string relativePath, GeneratorOptions options, List<DiagnosticInfo> diagnostics, out WorkflowKey? key,
        string? invalid = null, IReadOnlyList<string>? brokenTasks = null, string? taskfileName = null)
    {
        key = null;
        var isTaskfile = w.Format == WorkflowFormat.Taskfile;
        var className = isTaskfile
            ? taskfileName is not null ? Identifiers.ToPascalCase(taskfileName) : TaskfileClassName(relativePath)
            : Identifiers.ToPascalCase(w.Name.Value);
        var nameSpan = isTaskfile ? SourceSpan.FileStart(w.Path) : w.Name.Span;
        if (className is null)
        {
            diagnostics.Add(DiagnosticInfos.Make(Descriptors.NotAnIdentifier, $"the {(isTaskfile && taskfileName is not null ? "Taskfile" : "workflow")} name \"{taskfileName ?? w.Name.Value}\" gives no C# class name",
                nameSpan));
            return null;
        }
        var workflowName = isTaskfile ? taskfileName ?? className : w.Name.Value;
        key = new WorkflowKey(workflowName, className, DiagnosticInfos.Make(Descriptors.DuplicateWorkflowName, "", nameSpan));

        var members = new NameScope(className, WorkflowMembers);
        var tasks = new List<TaskModel>();
        foreach (var t in w.Tasks)
        {
            var wanted = Identifiers.ToPascalCase(t.Id.Value);
            if (wanted is null)
            {
                diagnostics.Add(DiagnosticInfos.Make(Descriptors.NotAnIdentifier, $"the task id \"{t.Id.Value}\" gives no C# property name", t.Id.Span));
                return null;
            }
            var property = Claim(members, wanted, $"task \"{t.Id.Value}\"", t.Id.Span, diagnostics);
            var outputs = t.Outputs.Select(o => (o, Identifiers.ToPascalCase(o.Name.Value))).ToList();
            string? taskClass = null;
            var outputModels = new List<OutputModel>();
            if (outputs.Count > 0)
            {
                taskClass = Claim(members, property + "Task", $"the class of task \"{t.Id.Value}\"", t.Id.Span, diagnostics);
                var outputScope = new NameScope(taskClass, TaskMembers);
                foreach (var (o, name) in outputs)
                {
                    if (name is null)
                    {
                        diagnostics.Add(DiagnosticInfos.Make(Descriptors.NotAnIdentifier, $"the output \"{o.Name.Value}\" gives no C# property name", o.Name.Span));
                        return null;
                    }
                    outputModels.Add(new OutputModel(Claim(outputScope, name, $"output \"{o.Name.Value}\"", o.Name.Span, diagnostics), o.Name.Value, o.Description));
                }
            }
            var displayName = t.Name?.Value == t.Id.Value ? null : t.Name?.Value; // a Taskfile task without a label repeats its name
            tasks.Add(new TaskModel(property, taskClass, t.Id.Value, TaskTypes.NameOf(t.Type), displayName,
                (t as TaskfileTaskDefinition)?.Source.Desc?.Value, outputModels.ToEquatableArray()));
        }
        foreach (var id in brokenTasks ?? [])
        {
            if (w.Tasks.Any(t => t.Id.Value == id) || Identifiers.ToPascalCase(id) is not { } wanted) continue;
            tasks.Add(new TaskModel(members.Claim(wanted, out _), null, id, "invalid", null, null, EquatableArray<OutputModel>.Empty));
        }

        var envScope = new NameScope("Env");
        var env = new List<EnvModel>();
        foreach (var e in w.Environment)
        {
            if (Identifiers.ToPascalCase(e.Name.Value) is not { } wanted) continue; // a name like "---" is only reachable as ${env['---']}
            env.Add(new EnvModel(Claim(envScope, wanted, $"environment variable \"{e.Name.Value}\"", e.Name.Span, diagnostics), e.Name.Value, e.Value.Value));
        }

        return new WorkflowModel(options.Namespace, className, workflowName, relativePath, w.Description?.Value, isTaskfile,
            tasks.ToEquatableArray(), env.ToEquatableArray(), isTaskfile || invalid is not null ? null : DefinitionLiteral.Write(w), invalid);
    }

    private static string Claim(NameScope scope, string wanted, string what, SourceSpan span, List<DiagnosticInfo> diagnostics)
    {
        var name = scope.Claim(wanted, out var renamed);
        if (renamed)
            diagnostics.Add(DiagnosticInfos.Make(Descriptors.NameCollision,
                $"{what} would be {wanted}, which is already taken in the generated class; it is {name} instead", span));
        return name;
    }

    /// <summary>
    /// <c>Taskfile.yml</c> at the project root is <c>Taskfile</c>; <c>tools/Taskfile.yml</c> is
    /// <c>ToolsTaskfile</c>: the folder that holds it, and "Taskfile" unless the folder's name already ends so.
    /// </summary>
    private static string TaskfileClassName(string relativePath)
    {
        var parts = relativePath.Split('/');
        var folder = parts.Length >= 2 ? parts[parts.Length - 2] : "";
        var name = folder is "" or "." or ".." ? "" : Identifiers.ToPascalCase(folder)?.TrimStart('@', '_') ?? "";
        return name.EndsWith("Taskfile", System.StringComparison.Ordinal) ? name : name + "Taskfile";
    }
}
