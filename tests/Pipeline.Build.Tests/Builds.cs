namespace Pipeline.Build.Tests;

/// <summary>A diamond with a pair that must overlap: A and B each wait until the other has started.</summary>
public partial class DiamondBuild : PipelineBuild
{
    public readonly Journal Journal = new();
    private readonly Barrier _both = new(2);

    Target Root => _ => _.Executes(() => Journal.Add("Root"));

    Target A => _ => _.DependsOn(Root).Executes(() => Meet("A"));

    Target B => _ => _.DependsOn(Root).Executes(() => Meet("B"));

    public Target Top => _ => _.Description("The top of the diamond").DependsOn(A, B).Executes(() => Journal.Add("Top"));

    private void Meet(string name)
    {
        Journal.Add(name + " started");
        if (!_both.SignalAndWait(TimeSpan.FromSeconds(20))) throw new TimeoutException($"{name} waited alone: A and B did not run at the same time");
        Journal.Add(name + " done");
    }
}

/// <summary>Order edges, triggers, conditions, failure policies and parameters.</summary>
public partial class RulesBuild : PipelineBuild
{
    public readonly Journal Journal = new();

    [Parameter("Debug or Release")] public Mode Configuration = Mode.Debug;
    [Parameter("How many times")] public int Count = 1;
    [Parameter("Turn the optional part on")] public bool Extra;
    [Parameter("Where to deploy")] public string[] Regions = [];
    [Parameter("The API token"), Secret] public string Token = "";
    [Parameter("Run the static-condition target")] public bool Allowed = true;

    public Target Early => _ => _.Before(Late).Executes(() => Journal.Add("Early"));

    public Target Late => _ => _.Executes(() => Journal.Add("Late"));

    public Target Publish => _ => _.Triggers(Notify).Executes(() => Journal.Add("Publish"));

    public Target Notify => _ => _.Executes(() => Journal.Add("Notify"));

    public Target Guarded => _ => _.OnlyWhenStatic(() => Allowed).Executes(() => Journal.Add("Guarded"));

    public Target Dynamic => _ => _.OnlyWhenDynamic(() => Journal.Events.Contains("never")).Executes(() => Journal.Add("Dynamic"));

    public Target AfterGuards => _ => _.DependsOn(Guarded, Dynamic).Executes(() => Journal.Add("AfterGuards"));

    public Target Breaks => _ => _.Executes(() => throw new InvalidOperationException("broken on purpose"));

    public Target BreaksButProceeds => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("also broken"));

    public Target NeedsBroken => _ => _.DependsOn(BreaksButProceeds).Executes(() => Journal.Add("NeedsBroken"));

    public Target Slow => _ => _.Executes(async () => { await Task.Delay(300); Journal.Add("Slow"); });

    public Target Independent => _ => _.DependsOn(Slow).Executes(() => Journal.Add("Independent"));

    public Target Cleanup => _ => _.AssuredAfterFailure().DependsOn(Breaks).Executes(() => Journal.Add("Cleanup"));

    public Target Print => _ => _.Executes(c => c.Log($"configuration={Configuration} count={Count} extra={Extra} regions={string.Join("|", Regions)} token={Token}"));

    public Target Flaky => _ => _.Retry(3, TimeSpan.FromMilliseconds(10)).Executes(() =>
    {
        Journal.Add("Flaky try");
        if (Journal.Events.Count(e => e == "Flaky try") < 3) throw new InvalidOperationException("not yet");
    });

    public Target Shell => _ => _.Executes(c => c.RunAsync("sh", "-c", "echo from a process; exit 3"));

    [Parameter("A file that must exist for FailsUntilMarker to succeed")] public string Marker = "";

    public Target FirstStep => _ => _.Executes(() => Journal.Add("FirstStep"));

    public Target FailsUntilMarker => _ => _.DependsOn(FirstStep).Executes(() =>
    {
        if (!File.Exists(Marker)) throw new InvalidOperationException("marker missing");
        Journal.Add("FailsUntilMarker");
    });

    public Target LoopA => _ => _.DependsOn(LoopB);

    public Target LoopB => _ => _.After(LoopA).DependsOn(Late);
}

public enum Mode { Debug, Release }

/// <summary>Targets that depend on a generated workflow and on one of its tasks.</summary>
public partial class WorkflowBuild : PipelineBuild
{
    public Target Second => _ => _.DependsOn(Workflows.Stamps.Second);

    public Target Everything => _ => _.DependsOn(Workflows.Stamps.Workflow);

    public Target ReadCount => _ => _.DependsOn(Workflows.Stamps.First).Executes(c => c.Log("count is " + c.Output(Workflows.Stamps.First.Count)));

    public Target ReadWithoutDepending => _ => _.Executes(c => c.Log("count is " + c.Output(Workflows.Stamps.First.Count)));
}

/// <summary>C# targets and the Taskfile's tasks in one graph.</summary>
public partial class TaskfileBuild : PipelineBuild
{
    private static string Stamps => Environment.GetEnvironmentVariable("STAMP_DIR")!;

    /// <summary>The Taskfile's compile waits for this C# target.</summary>
    public Target Generate => _ => _
        .DependentFor(Workflows.Taskfile.Compile)
        .Executes(() => File.AppendAllText(Path.Combine(Stamps, "log"), "generate\n"))
        .Executes(() => File.WriteAllText(Path.Combine(Stamps, "generated"), ""));

    /// <summary>A C# target after a Taskfile task.</summary>
    public Target Package => _ => _
        .DependsOn(Workflows.Taskfile.Compile, Workflows.Taskfile.Lint)
        .Executes(() => File.AppendAllText(Path.Combine(Stamps, "log"), "package\n"));

    /// <summary>Runs beside the Taskfile's waits task: releases it once it has started.</summary>
    public Target Release => _ => _
        .Executes(async () =>
        {
            var started = Path.Combine(Stamps, "waits-started");
            var deadline = DateTime.UtcNow.AddSeconds(60); // a generous deadline on the observable file, not a count of sleeps
            while (!File.Exists(started) && DateTime.UtcNow < deadline) await Task.Delay(20);
            if (!File.Exists(started)) throw new TimeoutException("the Taskfile's waits task did not start while Release ran");
            File.WriteAllText(Path.Combine(Stamps, "release"), "");
        });

    public Target Together => _ => _.DependsOn(Release).DependsOn(Workflows.Taskfile.Waits);
}
