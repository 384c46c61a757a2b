using System.Collections.Generic;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Reading;

namespace Pipeline.Core.Validation;

/// <summary>
/// Checks a workflow that a reader produced: references, cycles, values, expressions and shape.
/// Pure (no file system, no processes), so the source generator, the MSBuild task, the CLI and the
/// engine all run exactly the same checks. Checks that need the machine live in
/// <see cref="Loading.EnvironmentChecks"/>.
/// </summary>
public static class WorkflowValidator
{
    /// <summary>The reader's diagnostics followed by the validator's, sorted by position.</summary>
    public static IReadOnlyList<Diagnostic> Validate(ReadResult read)
    {
        var bag = new DiagnosticBag();
        bag.AddRange(read.Diagnostics);
        if (read.Workflow is { } workflow)
        {
            var context = new ValidationContext(workflow, read.BrokenTaskIds, bag, read.BrokenTaskReferences);
            ValueRules.Check(context);
            ReferenceRules.Check(context);
            CycleRules.Check(context);
            ExpressionRules.Check(context);
            ShellRules.Check(context);
            ShapeRules.Check(context);
        }
        if (read.Taskfile is { } taskfile) Taskfile.TaskfileRules.Check(taskfile, bag);
        return bag.Sorted();
    }
}
