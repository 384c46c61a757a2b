using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Core.Shell;

namespace Pipeline.Core.Validation;

/// <summary>
/// Where a shell task's <c>${…}</c> stands (sh and bash): an argument of <c>eval</c> runs as code
/// whatever the engine does with it (WF3014). The other risky places (arithmetic, quoted heredocs)
/// depend on the value and are checked when the task runs.
/// </summary>
internal static class ShellRules
{
    public static void Check(ValidationContext ctx)
    {
        foreach (var task in ctx.Workflow.Tasks.OfType<ShellTask>())
        {
            if (task.Shell?.Value is "pwsh" or "powershell" or "cmd") continue;
            var command = task.Command;
            if (command.Value.IndexOf("${", System.StringComparison.Ordinal) < 0) continue;
            var parsed = InterpolatedString.Parse(command.Value);
            if (parsed.Errors.Count > 0) continue; // WF3010 reports it
            var spots = ShellContexts.Analyze(parsed);
            var holes = parsed.Segments.OfType<ExpressionSegment>().ToList();
            for (var i = 0; i < holes.Count; i++)
                if (spots[i].Eval)
                    ctx.Diagnostics.Report(Descriptors.ExpressionInEval, command.SpanOf(holes[i].Start, holes[i].Length),
                        $"task '{task.Id.Value}' passes ${{{holes[i].Expression.Text}}} to eval, which runs its arguments as shell code whatever their quoting",
                        "run the command directly (deploy \"${…}\" rather than eval \"deploy ${…}\"); the engine refuses to run this task");
        }
    }
}
