namespace Pipeline.Build;

/// <summary>
/// A build target, written as a property: <c>Target Compile =&gt; _ =&gt; _.DependsOn(Restore).Executes(() =&gt; ...);</c>.
/// The property's name is the target's name. The delegate only describes the target; the host calls it once.
/// </summary>
public delegate TargetDefinition Target(TargetDefinition definition);

/// <summary>A target and its name, as the source generator lists a build class's targets.</summary>
public sealed record NamedTarget(string Name, Target Target);
