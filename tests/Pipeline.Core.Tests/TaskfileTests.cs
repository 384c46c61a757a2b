using Pipeline.Core.Diagnostics;
using Pipeline.Core.Taskfile;
using static Pipeline.Core.Tests.TestHelpers;

namespace Pipeline.Core.Tests;

public class TaskfileTests
{
    [Fact]
    public void Reads_every_construct_of_the_sample_with_positions()
    {
        var read = Loading.WorkflowLoader.Load(Path.Combine(RepoRoot, "samples", "taskfile", "Taskfile.yml"));
        Assert.DoesNotContain(Validation.WorkflowValidator.Validate(read), d => d.Severity != Severity.Info);
        var doc = read.Taskfile!;
        Assert.Equal("3", doc.Version.Value);
        Assert.Equal(new[] { "APP", "VERSION", "OUT" }, doc.Vars.Select(v => v.Name.Value));
        Assert.Equal(TaskfileVarKind.Sh, doc.Vars[1].Kind);
        Assert.True(doc.Includes[0].Optional);
        var build = doc.Tasks.Single(t => t.Name.Value == "build");
        Assert.Equal((31, 3), (build.Name.Span.Line, build.Name.Span.Column));
        Assert.Equal(new[] { "b" }, build.Aliases.Select(a => a.Value));
        Assert.Equal(4, build.Cmds.Count);
        Assert.True(build.Cmds[1].Silent);
        Assert.Equal("stamp", build.Cmds[2].Call!.Task.Value);
        Assert.Equal("STAMP", build.Cmds[2].Call!.Vars[0].Name.Value);
        Assert.True(build.Cmds[3].Deferred);
        Assert.Equal("APP must be set", build.Preconditions[0].Message!.Value);
        Assert.Equal(new[] { "linux", "darwin" }, doc.Tasks.Single(t => t.Name.Value == "test").Platforms.Select(p => p.Value));

        // deps through the alias "b" resolve to build; the DAG has levels like any workflow
        var test = read.Workflow!.FindTask("test")!;
        Assert.Equal("build", Assert.Single(test.DependsOn).Id);
        Assert.Equal(new[] { "restore", "build", "test", "default" }, Graph.WorkflowGraph.Build(read.Workflow).CriticalPath);
    }

    [Fact]
    public void Tasks_can_be_strings_lists_or_mappings()
    {
        var read = ReadYaml("version: '3'\ntasks:\n  one: echo one\n  two:\n    - echo a\n    - task: one\n  three:\n    cmd: echo three\n");
        var doc = read.Taskfile!;
        Assert.Equal("echo one", doc.Tasks[0].Cmds.Single().Script!.Value);
        Assert.Equal(TaskfileCommandKind.Call, doc.Tasks[1].Cmds[1].Kind);
        Assert.Equal("echo three", doc.Tasks[2].Cmds.Single().Script!.Value);
        Assert.DoesNotContain(Validation.WorkflowValidator.Validate(read), d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Unknown_deps_and_calls_are_reported_at_their_names()
    {
        var diagnostics = ValidateYaml("version: '3'\ntasks:\n  build:\n    deps: [restor]\n    cmds:\n      - task: tset\n  restore: echo r\n  test: echo t\n");
        var dep = Single(diagnostics, "WF2001");
        AssertAt(dep, 4, 12);
        Assert.Contains("did you mean \"restore\"", dep.Hint);
        var call = Single(diagnostics, "WF2010");
        AssertAt(call, 6, 15);
        Assert.Contains("did you mean \"test\"", call.Hint);
    }

    [Fact]
    public void Wildcards_root_references_and_include_namespaces_resolve()
    {
        var diagnostics = ValidateYaml("""
            version: '3'
            includes:
              lib: ./lib
            tasks:
              deploy-*: echo {{index .MATCH 0}}
              all:
                deps: [deploy-prod, ':deploy-dev', lib:build, lib]
            """);
        Assert.DoesNotContain(diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Cycles_through_deps_are_reported_with_their_path()
    {
        var diagnostics = ValidateYaml("version: '3'\ntasks:\n  a:\n    deps: [b]\n  b:\n    deps: [c]\n  c:\n    deps: [a]\n");
        var cycle = Single(diagnostics, "WF2004");
        Assert.Contains("a -> b -> c -> a", cycle.Message);
        AssertAt(cycle, 4, 12);
    }

    [Theory]
    [InlineData("echo \"v={{.VERSION}}\"", "inside double quotes")]
    [InlineData("echo '{{.VERSION}}'", "inside single quotes")]
    [InlineData("rm -rf {{.VERSION}}/out", "unquoted")]
    [InlineData("echo {{.VERSION | upper}}", "unquoted")]
    [InlineData("echo \"{{.CLI_ARGS}}\"", "inside quotes")]
    [InlineData("go test {{.CLI_ARGS | upper}}", "undoes its shell quoting")]
    [InlineData("echo {{.OVERRIDABLE}}", "unquoted")]
    public void A_command_line_variable_pasted_into_a_command_without_q_is_a_warning(string command, string message)
    {
        var diagnostics = ValidateYaml($"version: '3'\nvars:\n  VERSION: 1\ntasks:\n  build:\n    vars:\n      OVERRIDABLE: '{{{{.OVERRIDABLE | default \"x\"}}}}'\n    cmds:\n      - {command}\n");
        var warning = Single(diagnostics, "WF3013");
        AssertAt(warning, 9, 9 + command.IndexOf('.')); // "      - " then the command: the underline starts at the variable
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains(message, warning.Message);
        Assert.Contains("| q", warning.Hint);
    }

    [Theory]
    [InlineData("echo {{.VERSION | q}}")]
    [InlineData("echo {{.VERSION | shellQuote}}")]
    [InlineData("go test {{.CLI_ARGS}}")]
    [InlineData("go test {{.CLI_ARGS | q}}")]
    [InlineData("echo {{.OWN}} {{.TASK}} {{.ROOT_DIR}}")]
    [InlineData("{{if .VERSION}}echo yes{{end}}")]
    [InlineData("echo \"{{\"{{\"}}\"")]
    public void Quoted_own_and_special_variables_are_not_warned_about(string command)
    {
        var diagnostics = ValidateYaml($"version: '3'\nvars:\n  VERSION: 1\ntasks:\n  build:\n    vars:\n      OWN: fixed\n    cmds:\n      - {command}\n");
        Assert.DoesNotContain(diagnostics, d => d.Code == "WF3013");
    }

    [Fact]
    public void Status_and_preconditions_are_shell_commands_too()
    {
        var diagnostics = ValidateYaml("version: '3'\ntasks:\n  build:\n    status: ['test -f {{.F}}']\n    preconditions:\n      - sh: test -n \"{{.G}}\"\n    cmds: [true]\n");
        Assert.Equal(2, diagnostics.Count(d => d.Code == "WF3013"));
    }

    [Fact]
    public void Template_variables_are_checked_with_positions()
    {
        var diagnostics = ValidateYaml("version: '3'\nvars:\n  VERSION: 1\ntasks:\n  build:\n    cmds:\n      - echo {{.VERSON}} {{.CLI_ARGS}} {{.X | default \"d\"}}\n      - echo {{.VERSION\n");
        var typo = Single(diagnostics, "WF3011");
        AssertAt(typo, 7, 17);
        Assert.Equal(Severity.Warning, typo.Severity);
        Assert.Contains("did you mean .VERSION", typo.Hint);
        AssertAt(Single(diagnostics, "WF3012"), 8, 14);
    }

    [Theory]
    [InlineData("version: '2'\ntasks: {}\n", "WF1025", 1, 10)]
    [InlineData("tasks: {}\n", "WF1010", 1, 1)]
    [InlineData("version: '3'\ntasks:\n  a:\n    cmd: echo\n    cmds: [echo]\n", "WF1027", 4, 5)]
    [InlineData("version: '3'\ntasks:\n  a:\n    dpes: [b]\n", "WF1011", 4, 5)]
    [InlineData("version: '3'\ntasks:\n  a: echo\n  a: echo\n", "WF1005", 4, 3)]
    [InlineData("version: '3'\ntasks:\n  a:\n    platforms: [linx]\n", "WF1013", 4, 17)]
    [InlineData("version: '3'\ntasks:\n  a:\n    cmds: ['unclosed\n", "WF1002", 4, 12)]
    public void Taskfile_problems_have_codes_and_positions(string yaml, string code, int line, int column)
    {
        AssertAt(Single(ValidateYaml(yaml), code), line, column);
    }
}
