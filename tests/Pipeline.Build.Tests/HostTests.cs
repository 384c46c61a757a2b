using Pipeline.Build.Hosting;
namespace Pipeline.Build.Tests;

public sealed class HostTests
{
    [Fact]
    public async Task Dependencies_run_first_and_independent_targets_run_at_the_same_time()
    {
        var build = new DiamondBuild();
        var (exit, output, errors) = await Harness.Run(build, ["top"]);
        Assert.True(exit == 0, output + errors);
        var j = build.Journal;
        Assert.Equal(0, j.IndexOf("Root"));
        // A and B met at a barrier: each started before the other finished.
        Assert.True(j.IndexOf("A started") < j.IndexOf("B done") && j.IndexOf("B started") < j.IndexOf("A done"));
        Assert.Equal(j.Events.Count - 1, j.IndexOf("Top"));
        Assert.Contains("Build succeeded", output);
        Assert.Matches(@"Top\s+succeeded", output);
    }

    [Fact]
    public async Task Defaults_run_when_no_name_is_given_and_help_marks_them()
    {
        var build = new DiamondBuild();
        var (exit, _, _) = await Harness.Run(build, [], [build.Top]);
        Assert.Equal(0, exit);
        Assert.Contains("Top", build.Journal.Events);

        var other = new DiamondBuild();
        var (_, help, _) = await Harness.Run(other, ["--help"], [other.Top]);
        Assert.Contains("Top *", help);
        Assert.Contains("The top of the diamond (depends on A, B)", help);

        // The environment example names a parameter the build has (it used to name a made-up --api-key).
        var (_, rulesHelp, _) = await Harness.Run(new RulesBuild(), ["--help"]);
        Assert.Contains("Parameters (also read from the environment, e.g. --configuration from CONFIGURATION):", rulesHelp);
        Assert.DoesNotContain("API_KEY", rulesHelp);
        // DependsOn and After read differently: only the first runs what it names.
        Assert.Matches(@"\n  LoopB\s+\(depends on Late; after LoopA\)\n", rulesHelp);
    }

    [Fact]
    public void Help_aligns_workflows_and_targets_in_one_column_however_long_the_names()
    {
        var graph = new BuildGraph([], [
            new Pipeline.Core.Typed.WorkflowHandle("release-everything-to-every-region", "a.workflow.json", "first", Pipeline.Core.Model.WorkflowFormat.WorkflowJson, null),
            new Pipeline.Core.Typed.WorkflowHandle("lint", "b.workflow.json", "second", Pipeline.Core.Model.WorkflowFormat.WorkflowJson, null)]);
        var o = new StringWriter();
        HelpPrinter.Print(o, graph, [], []);
        var lines = o.ToString().Split('\n');
        var first = lines.Single(l => l.EndsWith("first")).IndexOf("first");
        Assert.Equal(first, lines.Single(l => l.EndsWith("second")).IndexOf("second"));
        Assert.True(first > "  release-everything-to-every-region".Length);
    }

    [Fact]
    public async Task Order_edges_order_only_what_runs_anyway()
    {
        var alone = new RulesBuild();
        await Harness.Run(alone, ["late"]);
        Assert.Equal(["Late"], alone.Journal.Events);

        var both = new RulesBuild();
        await Harness.Run(both, ["late+early"]);
        Assert.Equal(["Early", "Late"], both.Journal.Events);
    }

    [Fact]
    public async Task A_trigger_runs_the_triggered_target_after_its_trigger()
    {
        var build = new RulesBuild();
        var (exit, _, _) = await Harness.Run(build, ["publish"]);
        Assert.Equal(0, exit);
        Assert.Equal(["Publish", "Notify"], build.Journal.Events);
    }

    [Fact]
    public async Task False_conditions_skip_the_target_with_the_condition_text_and_its_dependents_still_run()
    {
        var build = new RulesBuild();
        var (exit, output, _) = await Harness.Run(build, ["after-guards", "--allowed", "false"]);
        Assert.Equal(0, exit);
        Assert.Equal(["AfterGuards"], build.Journal.Events);
        Assert.Contains("OnlyWhenStatic: Allowed is false", output);
        Assert.Contains("OnlyWhenDynamic: Journal.Events.Contains(\"never\") is false", output);
        Assert.Matches(@"Guarded\s+skipped", output);
    }

    [Fact]
    public async Task A_failure_fails_the_build_stops_what_has_not_started_and_runs_assured_clean_up()
    {
        var build = new RulesBuild();
        var (exit, output, _) = await Harness.Run(build, ["cleanup", "independent", "-j", "1"]);
        Assert.Equal(1, exit);
        Assert.Contains("broken on purpose", output);
        Assert.Contains("Cleanup", build.Journal.Events);
        Assert.Contains("Build failed", output);
    }

    [Fact]
    public async Task Proceed_after_failure_lets_the_others_finish_skips_its_dependents_and_still_fails()
    {
        var build = new RulesBuild();
        var (exit, output, _) = await Harness.Run(build, ["needs-broken", "independent"]);
        Assert.Equal(1, exit);
        Assert.Contains("Independent", build.Journal.Events);
        Assert.DoesNotContain("NeedsBroken", build.Journal.Events);
        Assert.Matches(@"NeedsBroken\s+skipped", output);
        Assert.Contains("also broken", output);
    }

    [Fact]
    public async Task Skip_skips_named_targets_and_a_bare_skip_skips_all_but_the_named()
    {
        var named = new RulesBuild();
        var (exit, output, _) = await Harness.Run(named, ["after-guards", "--skip", "guarded"]);
        Assert.Equal(0, exit);
        Assert.Equal(["AfterGuards"], named.Journal.Events);
        Assert.Matches(@"Guarded\s+skipped\s+–\s+--skip", output);
        Assert.DoesNotContain("▶ Guarded", output);

        var onlyTop = new DiamondBuild();
        var (exit2, output2, _) = await Harness.Run(onlyTop, ["top", "--skip"]);
        Assert.Equal(0, exit2);
        Assert.Equal(["Top"], onlyTop.Journal.Events);
        Assert.Matches(@"Root\s+skipped\s+–\s+--skip", output2);
        Assert.Contains("▶ Top", output2);
    }

    [Fact]
    public async Task Parameters_come_from_the_command_line_then_the_environment_and_secrets_are_masked()
    {
        var build = new RulesBuild();
        var (exit, output, errors) = await Harness.Run(build, ["print", "--configuration", "release", "--count=3", "--extra", "--regions", "eu,us"],
            environment: new() { ["TOKEN"] = "s3cr3t-value" });
        Assert.True(exit == 0, output + errors);
        Assert.Contains("configuration=Release count=3 extra=True regions=eu|us token=***", output);
        Assert.DoesNotContain("s3cr3t-value", output);
    }

    [Fact]
    public async Task A_bad_parameter_value_or_an_unknown_option_is_exit_2_with_the_choices()
    {
        var (exit, _, errors) = await Harness.Run(new RulesBuild(), ["print", "--configuration", "fast"]);
        Assert.Equal(2, exit);
        Assert.Contains("--configuration \"fast\" is not valid: expected one of debug, release", errors);

        var (exit2, _, errors2) = await Harness.Run(new RulesBuild(), ["print", "--confguration", "release"]);
        Assert.Equal(2, exit2);
        Assert.Contains("unknown option --confguration", errors2);
        Assert.Contains("--configuration", errors2);
    }

    [Fact]
    public async Task An_unknown_name_is_exit_2_with_a_suggestion_and_a_cycle_is_named()
    {
        var (exit, _, errors) = await Harness.Run(new DiamondBuild(), ["tpo"]);
        Assert.Equal(2, exit);
        Assert.Contains("'tpo' is not a target", errors);
        Assert.Contains("did you mean Top?", errors);

        var (exit2, _, errors2) = await Harness.Run(new RulesBuild(), ["loop-a"]);
        Assert.Equal(2, exit2);
        Assert.Contains("the targets form a cycle: LoopA -> LoopB -> LoopA", errors2);
    }

    [Fact]
    public async Task Retry_tries_again_and_a_failing_process_fails_with_its_exit_code_and_output()
    {
        var build = new RulesBuild();
        var (exit, output, _) = await Harness.Run(build, ["flaky"]);
        Assert.Equal(0, exit);
        Assert.Equal(3, build.Journal.Events.Count(e => e == "Flaky try"));

        var (exit2, output2, _) = await Harness.Run(new RulesBuild(), ["shell"]);
        Assert.Equal(1, exit2);
        Assert.Contains("Shell │ from a process", output2);
        Assert.Contains("exited with code 3", output2);
    }

    [Fact]
    public async Task Plan_prints_the_three_edge_kinds_and_dry_run_runs_nothing()
    {
        var (_, plan, _) = await Harness.Run(new RulesBuild(), ["late", "early", "publish", "--plan"]);
        Assert.Contains("n_Early -.-> n_Late", plan);
        Assert.Contains("n_Publish ==> n_Notify", plan);

        var build = new DiamondBuild();
        var (exit, dry, _) = await Harness.Run(build, ["top", "--dry-run"]);
        Assert.Equal(0, exit);
        Assert.Empty(build.Journal.Events);
        Assert.Contains("level 2:", dry);
        Assert.Contains("Nothing was run (--dry-run).", dry);
    }

    [Fact]
    public async Task Continue_skips_what_succeeded_in_the_last_attempt_with_the_same_arguments()
    {
        var marker = Path.Combine(Path.GetTempPath(), "pipeline-marker-" + Guid.NewGuid().ToString("N"));
        string[] args = ["fails-until-marker", "--marker", marker];
        var first = new RulesBuild();
        var (exit, _, _) = await Harness.Run(first, args);
        Assert.Equal(1, exit);
        Assert.Equal(["FirstStep"], first.Journal.Events);

        File.WriteAllText(marker, "");
        try
        {
            var second = new RulesBuild();
            var (exit2, output2, _) = await Harness.Run(second, [.. args, "--continue"]);
            Assert.Equal(0, exit2);
            Assert.Equal(["FailsUntilMarker"], second.Journal.Events);
            Assert.Contains("succeeded in the last attempt (--continue)", output2);

            var other = new RulesBuild();
            var (_, _, errors3) = await Harness.Run(other, ["first-step", "--marker", marker + "x", "--continue"]);
            Assert.Contains("no earlier attempt with these arguments", errors3);
            Assert.Equal(["FirstStep"], other.Journal.Events);
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
