using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Cli.Running;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow graph [workflow]</c>: the DAG as Mermaid (default) or Graphviz DOT.</summary>
public static class GraphCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow")
        {
            Description = "A workflow file, or the name of a workflow under the current directory",
            Arity = ArgumentArity.ZeroOrOne,
        };
        workflow.CompletionSources.Add(Completions.Workflows);
        var dot = new Option<bool>("--dot") { Description = "Print Graphviz DOT instead of Mermaid" };
        var command = new Command("graph", """
            Print the workflow's task graph. Solid arrows are depends_on; dashed arrows are tasks one
            task invokes (on_success, on_failure, then, else, a group's tasks, a loop's task).

            Examples:
              workflow graph deploy > deploy.mmd          Mermaid, for Markdown and GitHub
              workflow graph deploy --dot | dot -Tsvg > deploy.svg

            Exit codes: 0 printed, 2 invalid workflow or usage.
            """)
        {
            workflow, dot,
        };
        command.SetAction(parse =>
        {
            var definition = WorkflowInput.Load(parse.GetValue(workflow), parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.Verbose), Console.Error);
            if (definition is null) return ExitCodes.InvalidInput;
            Console.Out.Write(parse.GetValue(dot) ? GraphWriter.Dot(definition) : GraphWriter.Mermaid(definition));
            return ExitCodes.Success;
        });
        return command;
    }
}
