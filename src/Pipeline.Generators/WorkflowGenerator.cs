using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Generators.Builds;
using Pipeline.Generators.Emitting;
using Pipeline.Generators.Model;
using Pipeline.Generators.Parsing;

namespace Pipeline.Generators;

/// <summary>
/// Workflow files in AdditionalFiles (<c>*.workflow.json</c>, <c>Taskfile.yml</c>) become typed C#.
/// The pipeline: options → parse and validate each file (<see cref="FileParser"/>) → the emitter's
/// model → source; diagnostics and cross-file checks are separate outputs. Every step carries
/// value-equal data, so an edit elsewhere in the project re-runs nothing here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WorkflowGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider.Select(static (provider, _) =>
        {
            provider.GlobalOptions.TryGetValue("build_property.PipelineNamespace", out var ns);
            if (string.IsNullOrWhiteSpace(ns)) provider.GlobalOptions.TryGetValue("build_property.RootNamespace", out ns);
            provider.GlobalOptions.TryGetValue("build_property.ProjectDir", out var dir);
            return new GeneratorOptions(ns?.Trim() ?? "", dir ?? "");
        });

        // A project may name a Taskfile itself: <PipelineWorkflow Update="Taskfile.yml" PipelineName="Repo" />.
        var files = context.AdditionalTextsProvider
            .Where(static file => IsWorkflowFile(file.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) => (File: pair.Left, Name: pair.Right.GetOptions(pair.Left).TryGetValue(NameMetadata, out var name) && !string.IsNullOrWhiteSpace(name) ? name.Trim() : null))
            .Combine(options)
            .Select(static (pair, ct) => FileParser.Parse(pair.Left.File.Path, pair.Left.File.GetText(ct), pair.Right, ct, pair.Left.Name))
            .WithTrackingName(Steps.Parse);

        var models = files
            .Select(static (result, _) => result.Model)
            .WithTrackingName(Steps.Model);
        context.RegisterSourceOutput(models, static (spc, model) =>
        {
            if (model is not null) spc.AddSource(WorkflowEmitter.HintName(model), SourceText.From(WorkflowEmitter.Emit(model), System.Text.Encoding.UTF8));
        });

        context.RegisterSourceOutput(files.Select(static (result, _) => result.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var d in diagnostics) spc.ReportDiagnostic(RoslynDiagnostics.Create(d));
        });

        // Workflows.All: every workflow of the project, for build classes and tools.
        var allModels = models.Collect().Select(static (all, _) => all.Where(m => m is not null).Select(m => m!).OrderBy(m => m.ClassName, System.StringComparer.Ordinal).ToEquatableArray());
        context.RegisterSourceOutput(allModels.Combine(options), static (spc, pair) =>
        {
            if (pair.Left.Count > 0) spc.AddSource("Workflows.All.g.cs", SourceText.From(WorkflowEmitter.EmitAll(pair.Left, pair.Right.Namespace), System.Text.Encoding.UTF8));
        });

        // Build classes (NUKE-style): their targets and parameters, listed at compile time.
        var builds = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => BuildClassParser.IsCandidate(node), static (ctx, ct) => BuildClassParser.Parse(ctx, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(Steps.BuildClass);
        context.RegisterSourceOutput(builds.Combine(options).Combine(allModels.Select(static (all, _) => all.Count > 0)), static (spc, input) =>
        {
            var ((result, opts), hasWorkflows) = input;
            foreach (var d in result.Diagnostics) spc.ReportDiagnostic(RoslynDiagnostics.Create(d));
            if (result.Model is { } model)
                spc.AddSource(model.HintName, SourceText.From(BuildClassEmitter.Emit(model, opts.Namespace, hasWorkflows, opts.ProjectDirectory), System.Text.Encoding.UTF8));
        });

        var crossFile = files
            .Select(static (result, _) => result.Key)
            .Collect()
            .Select(static (keys, _) => CrossFile.Check(keys))
            .WithTrackingName(Steps.CrossFile);
        context.RegisterSourceOutput(crossFile, static (spc, diagnostics) =>
        {
            foreach (var d in diagnostics) spc.ReportDiagnostic(RoslynDiagnostics.Create(d));
        });
    }

    /// <summary>The item metadata that names a Taskfile (its class under Workflows, its name on the build's command line).</summary>
    internal const string NameMetadata = "build_metadata.AdditionalFiles.PipelineName";

    /// <summary>By name, as the CLI finds them: <c>*.workflow.json</c>, <c>*.workflow.yml</c>, <c>workflow.yml</c> and go-task's Taskfile names.</summary>
    internal static bool IsWorkflowFile(string path) => WorkflowFiles.KindOf(path) != WorkflowFileKind.None;
}

/// <summary>Checks across files: two workflows with one name, or two names that give one class (WF5002).</summary>
internal static class CrossFile
{
    public static EquatableArray<DiagnosticInfo> Check(ImmutableArray<WorkflowKey?> keys)
    {
        var found = new List<DiagnosticInfo>();
        var byName = new Dictionary<string, WorkflowKey>(System.StringComparer.Ordinal);
        var byClass = new Dictionary<string, WorkflowKey>(System.StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k is not null).Select(k => k!).OrderBy(k => k.NameLocation.Path, System.StringComparer.Ordinal))
        {
            string? clash = null;
            if (byName.TryGetValue(key.WorkflowName, out var first))
                clash = $"another workflow is already named \"{key.WorkflowName}\" ({first.NameLocation.Path}); rename one of them";
            else if (byClass.TryGetValue(key.ClassName, out first))
                clash = $"\"{key.WorkflowName}\" and \"{first.WorkflowName}\" ({first.NameLocation.Path}) both become the class Workflows.{key.ClassName}; rename one of them";
            if (clash is not null)
            {
                found.Add(key.NameLocation with { Message = clash });
                continue;
            }
            byName[key.WorkflowName] = key;
            byClass[key.ClassName] = key;
        }
        return found.ToEquatableArray();
    }
}
