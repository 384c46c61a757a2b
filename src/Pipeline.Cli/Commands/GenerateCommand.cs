using System.CommandLine;
using System.Reflection;
using Pipeline.Cli.Output;
using Pipeline.Cli.Running;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow generate --template &lt;name&gt;</c>: a workflow from a built-in template (ci, deploy,
/// backup, etl, webhook-handler), written to <c>workflows/&lt;name&gt;.workflow.json</c> and validated.
/// The templates are the files in the repository's <c>templates/workflows/</c>, embedded in the tool.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The built-in templates' names (resource names only: reading them waits for --list or a prompt).</summary>
    private static IEnumerable<string> Names() => Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".workflow.json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".workflow.json".Length])
        .Order(StringComparer.Ordinal);

    /// <summary>The built-in templates: name and what it is for (from its description).</summary>
    public static IReadOnlyList<(string Name, string Description)> Templates => _templates ??= Names().Select(n => (n, Description(Text(n)))).ToList();

    private static IReadOnlyList<(string Name, string Description)>? _templates;

    private const string Prefix = "Pipeline.Cli.Templates.";

    public static Command Create()
    {
        // Built on every start of the tool, so only names here: descriptions come with --list and the prompt.
        var names = Names().ToArray();
        var template = new Option<string?>("--template", "-t") { Description = "The template: " + string.Join(", ", names) };
        template.AcceptOnlyFromAmong(names);
        var name = new Option<string?>("--name") { Description = "The workflow's name (kebab-case; default: the template's name)" };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: workflows/<name>.workflow.json)" };
        var list = new Option<bool>("--list") { Description = "List the templates" };
        var force = new Option<bool>("--force") { Description = "Overwrite the file when it exists" };
        var command = new Command("generate", $"""
            Writes a workflow from a built-in template, validates it and says what to run next.
            Templates: {string.Join(", ", names)} (workflow generate --list says what each is for).

            Examples:
              workflow generate --list
              workflow generate --template deploy --name deploy-api
              workflow generate -t backup -o ops/nightly-backup.workflow.json

            Without --template, a terminal asks which; without a terminal, it says which there are.

            Exit codes: 0 written, 2 no template named (no terminal to ask), no such template, the file exists (without --force), or a bad name.
            """)
        {
            template, name, output, list, force,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (var (n, d) in Templates) Console.Out.WriteLine($"  {n,-16}{d}");
                return ExitCodes.Success;
            }
            var descriptions = Templates.ToDictionary(t => t.Name, t => t.Description);
            var chosen = Prompting.GivenOrChosen(parse.GetValue(template), "Which template?", [.. Templates.Select(t => t.Name)],
                "name a template with --template (workflow generate --list describes them)", Console.Error, n => $"{n,-16}{descriptions[n]}");
            if (chosen is null) return ExitCodes.InvalidInput;
            var workflowName = parse.GetValue(name) ?? chosen;
            if (!WorkflowNames.IsKebabCase(workflowName))
            {
                Console.Error.WriteLine($"workflow: --name \"{workflowName}\" is not kebab-case (lowercase words joined by -), e.g. \"{WorkflowNames.ToKebabCase(workflowName)}\"");
                return ExitCodes.InvalidInput;
            }
            var path = parse.GetValue(output) ?? Path.Combine("workflows", workflowName + ".workflow.json");
            if (File.Exists(path) && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"workflow: {path} exists; pass --force to overwrite it, or --name/--output for another file");
                return ExitCodes.InvalidInput;
            }
            var text = Text(chosen).Replace("{{name}}", workflowName, StringComparison.Ordinal);
            if (Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
            File.WriteAllText(path, text);
            var diagnostics = WorkflowValidator.Validate(WorkflowLoader.Load(path)).Where(d => d.Severity != Severity.Info).ToList();
            foreach (var d in diagnostics) TextReporter.WriteDiagnostic(Console.Error, d, null);
            Console.Out.WriteLine($"Wrote {path} ({chosen}: {Description(text)}).");
            Console.Out.WriteLine("Next:");
            Console.Out.WriteLine($"  workflow validate {path}");
            Console.Out.WriteLine($"  workflow run {workflowName} --dry-run");
            Console.Out.WriteLine($"  workflow run {workflowName}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Text(string template)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + template + ".workflow.json")
            ?? throw new ArgumentException($"no template {template}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Description(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, "\"description\":\\s*\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : "";
    }
}
