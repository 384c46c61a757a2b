using Pipeline.Engine.Taskfile;
using Pipeline.Engine.Taskfile.Fingerprint;

namespace Pipeline.Engine.Tests.Taskfile;

/// <summary>Included Taskfiles: namespaces, ':' for the root, include vars, dir, flatten, and the errors.</summary>
public sealed class TaskfileIncludeTests : IDisposable
{
    private readonly TaskfileHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Included_tasks_are_namespaced_and_reference_each_other_and_the_root()
    {
        _h.Write("docs/Taskfile.yml", """
            version: '3'
            vars:
              FORMAT: '{{.FORMAT | default "html"}}'
            tasks:
              default: echo docs-default
              build:
                deps: [prepare]
                cmds:
                  - echo "docs build {{.FORMAT}} in {{base .TASKFILE_DIR}} from {{base .USER_WORKING_DIR}}"
                  - pwd
                  - task: :root-task
              prepare: echo prepare
            """);
        _h.Write("tools/Taskfile.yml", """
            version: '3'
            tasks:
              lint:
                dir: '{{.TASKFILE_DIR}}'
                cmds: [pwd]
            """);
        await _h.Run("""
            version: '3'
            includes:
              docs:
                taskfile: ./docs
                vars: { FORMAT: pdf }
                aliases: [d]
              tools: { taskfile: ./tools/Taskfile.yml, flatten: true }
              extra: { taskfile: ./missing, optional: true }
            tasks:
              root-task: echo root
            """, "d:build", "docs", "lint");
        Assert.Equal(["prepare", $"docs build pdf in docs from {Path.GetFileName(Directory.GetCurrentDirectory())}", _h.Folder, "root", "docs-default",
            Path.Combine(_h.Folder, "tools")], _h.Stdout);
    }

    [Fact]
    public void A_missing_include_is_an_error_with_its_position()
    {
        _h.Write("Taskfile.yml", """
            version: '3'
            includes:
              lib: ./lib/Taskfile.yml
            tasks:
              a: echo a
            """);
        var read = Core.Loading.WorkflowLoader.Load(Path.Combine(_h.Folder, "Taskfile.yml"));
        var e = Assert.Throws<TaskfileInvalidException>(() => TaskfileProject.Load(read.Taskfile!));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(("WF4005", 3, 8), (d.Code, d.Span.Line, d.Span.Column));
    }

    [Fact]
    public void An_include_cycle_is_reported_with_both_files()
    {
        _h.Write("sub/Taskfile.yml", """
            version: '3'
            includes:
              up: ../Taskfile.yml
            """);
        _h.Write("Taskfile.yml", """
            version: '3'
            includes:
              sub: ./sub
            tasks:
              a: echo a
            """);
        var read = Core.Loading.WorkflowLoader.Load(Path.Combine(_h.Folder, "Taskfile.yml"));
        var e = Assert.Throws<TaskfileInvalidException>(() => TaskfileProject.Load(read.Taskfile!));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("WF2012", d.Code);
        Assert.Contains("include cycle detected between", d.Message);
        Assert.Contains("<-->", d.Message);
    }

    [Fact]
    public void Checksums_are_computed_and_stored_as_go_task_does()
    {
        // go-task's own golden value (testdata/status_vars: source.txt holding "Hello, World!\n"), so a
        // checksum written by go-task is read as up to date by Pipeline and the other way round.
        var file = _h.Write("source.txt", "Hello, World!\n");
        Assert.Equal("3e464c4b03f4b65d740e1e130d4d108a", ChecksumChecker.Compute([file]));
        Assert.Equal(Path.Combine("t", "checksum", "docs-build"), Path.GetRelativePath(_h.Folder, new ChecksumChecker(Path.Combine(_h.Folder, "t")).FilePath("docs:build")));
    }
}
