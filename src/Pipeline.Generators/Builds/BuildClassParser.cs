using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipeline.Core.Diagnostics;
using Pipeline.Generators.Model;

namespace Pipeline.Generators.Builds;

/// <summary>
/// Finds build classes (deriving from <c>Pipeline.Build.PipelineBuild</c>) and reads their Target
/// properties and [Parameter] members into values, so the host never needs reflection.
/// </summary>
internal static class BuildClassParser
{
    public const string BaseType = "Pipeline.Build.PipelineBuild";
    private const string TargetType = "Pipeline.Build.Target";
    private const string ParameterAttribute = "Pipeline.Build.ParameterAttribute";
    private const string SecretAttribute = "Pipeline.Build.SecretAttribute";

    /// <summary>Cheap syntax test: a class with a base list.</summary>
    public static bool IsCandidate(SyntaxNode node) => node is ClassDeclarationSyntax { BaseList: not null };

    public static BuildClassResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type || type.IsAbstract) return null;
        if (!DerivesFromBuild(type)) return null;
        // A partial class has several declarations: let the first one speak for it.
        if (type.DeclaringSyntaxReferences.Length > 1 && type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) != declaration) return null;

        var diagnostics = new List<DiagnosticInfo>();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword) || type.ContainingType is not null)
        {
            diagnostics.Add(At(Descriptors.BuildClassNotPartial, declaration.Identifier.GetLocation(),
                type.ContainingType is not null
                    ? $"build class {type.Name} is nested in another class; declare it at namespace level, as partial"
                    : $"build class {type.Name} must be partial, so the generator can list its targets and bind its parameters (add the partial keyword)"));
            return new BuildClassResult(null, diagnostics.ToEquatableArray());
        }

        var targets = new List<string>();
        var parameters = new List<ParameterModel>();
        var seen = new HashSet<string>();
        for (var t = type; t is not null && t.ToDisplayString() != BaseType; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!seen.Add(member.Name)) continue; // overridden or hidden below
                if (!SymbolEqualityComparer.Default.Equals(t, type) && member.DeclaredAccessibility == Accessibility.Private) continue; // not reachable from the generated part
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } p && p.Type.ToDisplayString() == TargetType)
                    targets.Add(p.Name);
                if (ParameterOf(member, diagnostics) is { } parameter) parameters.Add(parameter);
            }
        }
        targets.Sort(System.StringComparer.Ordinal);
        if (diagnostics.Any(d => d.Severity == (int)Severity.Error)) return new BuildClassResult(null, diagnostics.ToEquatableArray());

        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new BuildClassResult(
            new BuildClassModel(ns, type.Name, (ns is null ? "" : ns + ".") + type.Name + ".Build.g.cs", targets.ToEquatableArray(), parameters.ToEquatableArray()),
            diagnostics.ToEquatableArray());
    }

    private static bool DerivesFromBuild(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.ToDisplayString() == BaseType) return true;
        return false;
    }

    private static ParameterModel? ParameterOf(ISymbol member, List<DiagnosticInfo> diagnostics)
    {
        var attribute = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ParameterAttribute);
        if (attribute is null) return null;
        var location = member.Locations.FirstOrDefault() ?? Location.None;
        ITypeSymbol type;
        switch (member)
        {
            case IFieldSymbol f:
                if (f.IsReadOnly || f.IsConst || f.IsStatic)
                {
                    diagnostics.Add(At(Descriptors.ParameterNotWritable, location, $"parameter {f.Name} is {(f.IsStatic ? "static" : "readonly")}; make it a settable instance field or property"));
                    return null;
                }
                type = f.Type;
                break;
            case IPropertySymbol p:
                if (p.SetMethod is null || p.IsStatic || p.SetMethod.IsInitOnly)
                {
                    diagnostics.Add(At(Descriptors.ParameterNotWritable, location, $"parameter {p.Name} has no setter; give it a set accessor"));
                    return null;
                }
                type = p.Type;
                break;
            default:
                return null;
        }

        var nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n)
        {
            type = n.TypeArguments[0];
            nullable = true;
        }
        string? kind = type.SpecialType switch
        {
            SpecialType.System_String => "string",
            SpecialType.System_Boolean => "bool",
            SpecialType.System_Int32 => "int",
            SpecialType.System_Int64 => "long",
            SpecialType.System_Double => "double",
            _ => null,
        };
        string? enumType = null, enumValues = null;
        if (kind is null && type.TypeKind == TypeKind.Enum)
        {
            kind = "enum";
            enumType = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            enumValues = string.Join("|", type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name));
        }
        if (kind is null && type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String }) kind = "string[]";
        if (kind is null)
        {
            diagnostics.Add(At(Descriptors.ParameterTypeNotSupported, location,
                $"parameter {member.Name} has type {type.ToDisplayString()}; use string, bool, int, long, double, an enum or string[] and convert it in the target"));
            return null;
        }

        var description = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        var name = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? member.Name;
        var secret = member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SecretAttribute);
        return new ParameterModel(member.Name, name, description, kind, enumType, enumValues, secret, nullable);
    }

    private static DiagnosticInfo At(Core.Diagnostics.DiagnosticDescriptor descriptor, Location location, string message)
    {
        var span = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Code, descriptor.Title, descriptor.Category.ToString(), (int)descriptor.DefaultSeverity, message,
            span.Path ?? "", location.SourceSpan.Start, location.SourceSpan.Length,
            span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1);
    }
}
