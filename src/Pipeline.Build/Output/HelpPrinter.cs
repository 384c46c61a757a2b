using Pipeline.Build.Hosting;

namespace Pipeline.Build;

/// <summary><c>--help</c>: targets with their descriptions and direct dependencies, the generated workflows and their tasks, the parameters, the host's options.</summary>
internal static class HelpPrinter
{
    public static void Print(TextWriter o, BuildGraph graph, IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<Target> defaults)
    {
        o.WriteLine("Usage: dotnet run --project <build project> -- [names...] [options] [--parameter value...]");
        o.WriteLine("Names: targets, workflows, workflow:task or Taskfile:task; join several with + or spaces; NAME=value sets a Taskfile variable.");
        o.WriteLine();
        var listed = graph.Targets.Where(t => !graph.DefinitionOf(t).IsUnlisted).ToList();
        // One column for targets and workflows alike, wide enough for the longest name of either.
        var width = Math.Max(12, listed.Select(t => t.Name.Length + 2).Concat(graph.Workflows.Select(w => w.Name.Length)).DefaultIfEmpty(0).Max());
        o.WriteLine("Targets:");
        foreach (var t in listed)
        {
            var def = graph.DefinitionOf(t);
            var isDefault = defaults.Any(d => d.Equals(t.Target));
            string NameOf(Target d) => graph.Targets.FirstOrDefault(x => x.Target.Equals(d))?.Name ?? "?";
            var deps = def.DependsOnTargets.Select(NameOf)
                .Concat(def.DependsOnTasks.Select(x => $"{x.Workflow.Name}:{x.Id}"))
                .Concat(def.DependsOnWorkflows.Select(w => w.Name)).ToList();
            // "depends on" runs them too; "after" (the After edge) only orders what runs anyway.
            var edges = new List<string>();
            if (deps.Count > 0) edges.Add($"depends on {string.Join(", ", deps)}");
            if (def.AfterTargets.Count > 0) edges.Add($"after {string.Join(", ", def.AfterTargets.Select(NameOf))}");
            var line = $"  {(t.Name + (isDefault ? " *" : "")).PadRight(width)} {def.DescriptionText}";
            if (edges.Count > 0) line += $"{(def.DescriptionText is null ? "" : " ")}({string.Join("; ", edges)})";
            o.WriteLine(line.TrimEnd());
        }
        if (listed.Count == 0) o.WriteLine("  (none)");
        if (defaults.Count > 0) o.WriteLine("  * runs when no name is given");

        var workflows = graph.Workflows.Where(w => w.Format != Pipeline.Core.Model.WorkflowFormat.Taskfile).ToList();
        if (workflows.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Workflows (run whole, or one task with workflow:task):");
            foreach (var w in workflows)
            {
                o.WriteLine($"  {w.Name.PadRight(width)} {w.Description ?? w.File}".TrimEnd());
                o.WriteLine($"  {"".PadRight(width)} tasks: {string.Join(", ", w.Tasks.Select(t => t.Id))}");
            }
        }
        var taskfiles = graph.Workflows.Where(w => w.Format == Pipeline.Core.Model.WorkflowFormat.Taskfile).ToList();
        if (taskfiles.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Taskfiles (go-task's semantics; Taskfile:task, included ones too; the name alone runs default):");
            foreach (var w in taskfiles)
            {
                o.WriteLine($"  {w.Name.PadRight(width)} {w.File}".TrimEnd());
                o.WriteLine($"  {"".PadRight(width)} tasks: {string.Join(", ", w.Tasks.Select(t => t.Id))}");
            }
        }

        if (parameters.Count > 0)
        {
            o.WriteLine();
            // The example is one of this project's parameters, never a made-up one.
            var example = parameters[0].Name;
            o.WriteLine($"Parameters (also read from the environment, e.g. --{example} from {ParameterBinder.EnvironmentName(example)}):");
            var pw = Math.Max(width, parameters.Max(p => p.Name.Length + p.Type.Length + 6));
            foreach (var p in parameters)
            {
                var value = p.Value is null ? "" : $" [{p.Value}]";
                o.WriteLine($"  {$"--{p.Name} <{p.Type}>".PadRight(pw)} {p.Description}{value}{(p.Secret ? " (secret)" : "")}".TrimEnd());
            }
        }

        o.WriteLine();
        o.WriteLine("Options:");
        o.WriteLine("  --plan                 print the graph of what would run (Mermaid) and exit");
        o.WriteLine("  -n, --dry-run          show what would run, level by level, and exit");
        o.WriteLine("  --skip [a,b]           skip these targets; alone: skip every target not named");
        o.WriteLine("  -j, --max-parallel N   most targets and tasks at once (default: processor count)");
        o.WriteLine("  --continue             skip what succeeded in the last attempt with the same arguments");
        o.WriteLine("  -v, --verbose          print the output of workflow tasks as it comes");
        o.WriteLine("  --state-dir DIR        where runs are recorded for `workflow history` (default: .workflow)");
        o.WriteLine("  --list                 print every runnable name, one per line");
        o.WriteLine("  -h, --help             this text");
        o.WriteLine();
        o.WriteLine("Exit codes: 0 success, 1 a target failed, 2 bad arguments or graph, 130 cancelled.");
    }
}
