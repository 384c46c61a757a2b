using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Cli.Tests.GoTask;

/// <summary>
/// Taskfiles behave as go-task does: for a fixture, a task, variables and options, the merged
/// output (stdout and stderr in one stream, as go-task's executor tests capture it) must match
/// go-task's byte for byte. The fixtures reproduce go-task's own executor and formatter tests and
/// their golden files (github.com/go-task/task, testdata/), written for our harness; where we
/// differ on purpose (the exit codes, see docs/taskfile.md) the case says so. {{DIR}} stands for
/// the fixture's folder.
/// </summary>
public sealed class GoTaskConformanceTests
{
    public sealed record Case(string Name, Dictionary<string, string> Files, string[] Args, string Expected, int Exit)
    {
        public Dictionary<string, string> Environment { get; init; } = [];
        public override string ToString() => Name;
    }

    private static Dictionary<string, string> Taskfile(string yaml, params (string Path, string Text)[] more)
    {
        var files = new Dictionary<string, string> { ["Taskfile.yml"] = yaml };
        foreach (var (path, text) in more) files[path] = text;
        return files;
    }

    private const string ErrorCode = """
        version: '3'

        tasks:
          direct:
            cmds:
              - exit 42

          indirect:
            cmds:
              - task: direct

          with-dep:
            deps: [direct]
            cmds:
              - echo never
        """;

    private const string Summary = """
        version: '3'

        tasks:
          task-with-summary:
            deps: [dependent-task-1, dependent-task-2]
            summary: |
              summary of task-with-summary - line 1
              line 2
              line 3
            cmds:
              - echo 'task-with-summary was executed'
              - echo 'another command'
              - exit 0

          other-task-with-summary:
            summary: summary of other-task-with-summary
            cmds:
              - echo 'other-task-with-summary was executed'

          dependent-task-1:
            cmds:
              - echo 'dependent-task-1 was executed'

          dependent-task-2:
            cmds:
              - echo 'dependent-task-2 was executed'

          deploy:
            label: 'deploy-{{.ENV}}'
            desc: Deploy the app
            aliases: [d]
            vars:
              ENV: '{{.ENV | default "dev"}}'
              REV: {sh: git rev-parse HEAD}
              REGIONS: [eu, us]
            env:
              TARGET: '{{.ENV}}'
            requires:
              vars:
                - TOKEN
                - name: ENV
                  enum: [dev, prod]
            cmds:
              - echo "deploying {{.ENV}}"
              - for: [a, b]
                cmd: echo {{.ITEM}}
              - task: dependent-task-1
        """;

    private const string Requires = """
        version: '3'

        vars:
          ENVS: [dev, staging, prod]
          NOT_A_LIST: not a list

        tasks:
          missing-var:
            requires:
              vars: [FOO]
            cmd: echo "{{.FOO}}"

          validation-var:
            requires:
              vars:
                - name: FOO
                  enum: ['one', 'two']
            cmd: echo "{{.FOO}}"

          validation-var-ref:
            requires:
              vars:
                - name: ENV
                  enum:
                    ref: .ENVS
            cmd: echo "deploying to {{.ENV}}"

          enum-ref-not-list:
            requires:
              vars:
                - name: ENV
                  enum: { ref: .NOT_A_LIST }
            cmd: echo "{{.ENV}}"

          enum-ref-missing:
            requires:
              vars:
                - name: ENV
                  enum: { ref: .NONEXISTENT_VAR }
            cmd: echo "{{.ENV}}"
        """;

    private const string Matrix = """
        version: "3"

        vars:
          OS_VAR: ["windows", "linux", "darwin"]
          ARCH_VAR: ["amd64", "arm64"]
          NOT_A_LIST: "not a list"

        tasks:
          loop-matrix:
            cmds:
              - for:
                  matrix:
                    OS: ["windows", "linux", "darwin"]
                    ARCH: ["amd64", "arm64"]
                cmd: echo "{{.ITEM.OS}}/{{.ITEM.ARCH}}"

          loop-matrix-ref:
            cmds:
              - for:
                  matrix:
                    OS:
                      ref: .OS_VAR
                    ARCH:
                      ref: .ARCH_VAR
                cmd: echo "{{.ITEM.OS}}/{{.ITEM.ARCH}}"

          loop-matrix-ref-error:
            cmds:
              - for:
                  matrix:
                    OS:
                      ref: .OS_VAR
                    ARCH:
                      ref: .NOT_A_LIST
                cmd: echo "{{.ITEM.OS}}/{{.ITEM.ARCH}}"
        """;

    private const string Env = """
        version: '3'

        vars:
          BAZ:
            sh: echo baz

        env:
          FOO: foo
          BAR: bar
          BAZ: "{{.BAZ}}"
          QUX: from_taskfile

        tasks:
          default:
            cmds:
              - task: local
              - task: global
              - task: not-overridden
              - task: multiple_type

          local:
            vars:
              AMD64: amd64
            env:
              GOOS: linux
              GOARCH: "{{.AMD64}}"
              CGO_ENABLED:
                sh: echo '0'
            cmds:
              - echo "GOOS='$GOOS' GOARCH='$GOARCH' CGO_ENABLED='$CGO_ENABLED'"

          global:
            env:
              BAR: overridden
            cmds:
              - echo "FOO='$FOO' BAR='$BAR' BAZ='$BAZ'"

          multiple_type:
            env:
              FOO: 1
              BAR: true
              BAZ: 1.1
            cmds:
              - echo "FOO='$FOO' BAR='$BAR' BAZ='$BAZ'"

          not-overridden:
            cmds:
              - echo "QUX='$QUX'"
        """;

    private const string Includes = """
        version: '3'

        includes:
          other: ./other.yml
          two: ./Taskfile2.yml
          quiet: ./quiet.yml
          pinned:
            taskfile: ./pinned.yml
            checksum: {{SHA:pinned.yml}}
        """;

    private const string Listing = """
        version: '3'

        tasks:
          build:
            desc: Build it
            aliases: [b]
          a-very-long-task-name:
            desc: |
              Two lines
              of description
          lint:
            aliases: [l]
          test:
            desc: Run the tests
        """;

    public static readonly Case[] All =
    [
        // error_code: go-task's messages nest along task: calls (deps are not wrapped); exit codes are ours (1, not 201)
        new("error_code/direct", Taskfile(ErrorCode), ["run", "--silent", "direct"], "task: Failed to run task \"direct\": exit status 42\n", 1),
        new("error_code/indirect", Taskfile(ErrorCode), ["run", "--silent", "indirect"], "task: Failed to run task \"indirect\": task: Failed to run task \"direct\": exit status 42\n", 1),
        new("error_code/dep", Taskfile(ErrorCode), ["run", "--silent", "with-dep"], "task: Failed to run task \"direct\": exit status 42\n", 1),
        new("error_code/echo", Taskfile(ErrorCode), ["run", "direct"], "task: [direct] exit 42\ntask: Failed to run task \"direct\": exit status 42\n", 1),
        new("error_code/label", Taskfile("""
            version: '3'
            tasks:
              build:
                label: 'build-{{.V}}'
                vars: { V: x }
                cmds: [exit 3]
            """), ["run", "build"], "task: [build-x] exit 3\ntask: Failed to run task \"build-x\": exit status 3\n", 1),

        // empty_taskfile (exit 2 is ours)
        new("empty_taskfile", Taskfile(""), ["run"], "task: Missing schema version in Taskfile \"{{DIR}}/Taskfile.yml\"\n", 2),
        new("no_version", Taskfile("tasks:\n  a:\n    cmds: [echo a]\n"), ["run", "a"], "task: Missing schema version in Taskfile \"{{DIR}}/Taskfile.yml\"\n", 2),

        // summary
        new("summary/golden", Taskfile(Summary), ["run", "--summary", "task-with-summary", "other-task-with-summary"], """
            task: task-with-summary

            summary of task-with-summary - line 1
            line 2
            line 3

            dependencies:
             - dependent-task-1
             - dependent-task-2

            commands:
             - echo 'task-with-summary was executed'
             - echo 'another command'
             - exit 0


            task: other-task-with-summary

            summary of other-task-with-summary

            commands:
             - echo 'other-task-with-summary was executed'

            """, 0),
        new("summary/vars_requires_label", Taskfile(Summary), ["run", "--summary", "deploy", "ENV=prod"], """
            task: deploy-prod

            Deploy the app

            vars:
              ENV: "prod"
              REV: sh: git rev-parse HEAD
              REGIONS: "[eu us]"

            env:
              TARGET: "prod"

            requires:
              vars:
                - TOKEN
                - ENV:
                    enum:
                      - dev
                      - prod

            aliases:
             - d

            commands:
             - echo "deploying prod"
             - echo a
             - echo b
             - Task: dependent-task-1

            """, 0),
        new("summary/no_description", Taskfile(Summary), ["run", "--summary", "dependent-task-1"], """
            task: dependent-task-1

            (task does not have description or summary)

            commands:
             - echo 'dependent-task-1 was executed'

            """, 0),

        // requires (exit 2 is ours)
        new("requires/missing_var", Taskfile(Requires), ["run", "missing-var"], "task: Task \"missing-var\" cancelled because it is missing required variables: FOO\n", 2),
        new("requires/fails_validation", Taskfile(Requires), ["run", "validation-var", "FOO=bar"],
            "task: Task \"validation-var\" cancelled because it is missing required variables:\n  - FOO has an invalid value : 'bar' (allowed values : [one two])\n\n", 2),
        new("requires/passes_validation", Taskfile(Requires), ["run", "validation-var", "FOO=one"], "task: [validation-var] echo \"one\"\none\n", 0),
        new("requires/enum_ref_fails_validation", Taskfile(Requires), ["run", "validation-var-ref", "ENV=invalid"],
            "task: Task \"validation-var-ref\" cancelled because it is missing required variables:\n  - ENV has an invalid value : 'invalid' (allowed values : [dev staging prod])\n\n", 2),
        new("requires/enum_ref_passes_validation", Taskfile(Requires), ["run", "validation-var-ref", "ENV=dev"], "task: [validation-var-ref] echo \"deploying to dev\"\ndeploying to dev\n", 0),
        new("requires/enum_ref_to_non_list", Taskfile(Requires), ["run", "enum-ref-not-list", "ENV=dev"], "enum reference \".NOT_A_LIST\" must resolve to a list\n", 2),
        new("requires/enum_ref_to_nonexistent_var", Taskfile(Requires), ["run", "enum-ref-missing", "ENV=dev"], "enum reference \".NONEXISTENT_VAR\" must resolve to a list\n", 2),

        // for: matrix
        new("for/loop_matrix", Taskfile(Matrix), ["run", "--silent", "loop-matrix"], "windows/amd64\nwindows/arm64\nlinux/amd64\nlinux/arm64\ndarwin/amd64\ndarwin/arm64\n", 0),
        new("for/loop_matrix_ref", Taskfile(Matrix), ["run", "--silent", "loop-matrix-ref"], "windows/amd64\nwindows/arm64\nlinux/amd64\nlinux/arm64\ndarwin/amd64\ndarwin/arm64\n", 0),
        new("for/loop_matrix_ref_error", Taskfile(Matrix), ["run", "--silent", "loop-matrix-ref-error"],
            "task: Failed to parse {{DIR}}/Taskfile.yml:\nmatrix reference \".NOT_A_LIST\" must resolve to a list\n", 2),

        // env: the OS environment wins over the Taskfile's env (go-task v3 without the ENV_PRECEDENCE experiment)
        new("env/precedence", Taskfile(Env), ["run", "--silent"],
            "GOOS='linux' GOARCH='amd64' CGO_ENABLED='0'\nFOO='foo' BAR='overridden' BAZ='baz'\nQUX='from_os'\nFOO='1' BAR='true' BAZ='1.1'\n", 0)
        { Environment = new() { ["QUX"] = "from_os" } },
        new("env/os_wins_over_task_env", Taskfile(Env), ["run", "--silent", "global"], "FOO='foo' BAR='from_os' BAZ='baz'\n", 0)
        { Environment = new() { ["BAR"] = "from_os" } },
        new("dotenv/template_variables", Taskfile("""
            version: '3'
            dotenv: ['.env']
            tasks:
              default:
                cmds: ['echo "{{.GREETING}} $GREETING {{.NAME}}"']
            """, (".env", "GREETING=hello\nNAME=dotenv\n")), ["run", "--silent"], "hello hello dotenv\n", 0),
        new("vars/sh_sees_the_taskfile_env", Taskfile("""
            version: '3'
            env:
              STAGE: prod
            vars:
              WHERE:
                sh: echo "stage-$STAGE"
            tasks:
              default:
                cmds: ['echo {{.WHERE}}']
            """), ["run", "--silent"], "stage-prod\n", 0),

        // includes: any file name is a Taskfile; an included file's silent: true; checksum
        new("includes/other_file_names", Taskfile(Includes,
            ("other.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo hello from other]\n"),
            ("Taskfile2.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo hello from two]\n"),
            ("quiet.yml", "version: '3'\nsilent: true\ntasks:\n  hello:\n    cmds: [echo hello quietly]\n"),
            ("pinned.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo pinned]\n")),
            ["run", "other:hello", "two:hello"], "task: [other:hello] echo hello from other\nhello from other\ntask: [two:hello] echo hello from two\nhello from two\n", 0),
        new("includes/silent_taskfile", Taskfile(Includes,
            ("other.yml", "version: '3'\ntasks: {}\n"), ("Taskfile2.yml", "version: '3'\ntasks: {}\n"),
            ("quiet.yml", "version: '3'\nsilent: true\ntasks:\n  hello:\n    cmds: [echo hello quietly]\n"),
            ("pinned.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo pinned]\n")),
            ["run", "quiet:hello"], "hello quietly\n", 0),
        new("includes/checksum_matches", Taskfile(Includes,
            ("other.yml", "version: '3'\ntasks: {}\n"), ("Taskfile2.yml", "version: '3'\ntasks: {}\n"), ("quiet.yml", "version: '3'\ntasks: {}\n"),
            ("pinned.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo pinned]\n")),
            ["run", "--silent", "pinned:hello"], "pinned\n", 0),
        new("includes/checksum_differs", Taskfile(Includes.Replace("{{SHA:pinned.yml}}", "0000000000000000000000000000000000000000000000000000000000000000"),
            ("other.yml", "version: '3'\ntasks: {}\n"), ("Taskfile2.yml", "version: '3'\ntasks: {}\n"), ("quiet.yml", "version: '3'\ntasks: {}\n"),
            ("pinned.yml", "version: '3'\ntasks:\n  hello:\n    cmds: [echo pinned]\n")),
            ["run", "pinned:hello"],
            "task: The checksum of the Taskfile at \"{{DIR}}/pinned.yml\" does not match!\ngot: \"{{SHA:pinned.yml}}\"\nwant: \"0000000000000000000000000000000000000000000000000000000000000000\"\n", 2),

        // listing (tabwriter: padding 6; every cell padded, an empty description too)
        new("list/descriptions", Taskfile(Listing), ["run", "--list"],
            "task: Available tasks for this project:\n* a-very-long-task-name:       Two lines of description \n* build:                       Build it      (aliases: b)\n* test:                        Run the tests\n", 0),
        new("list/all", Taskfile(Listing), ["run", "--list-all"],
            "task: Available tasks for this project:\n* a-very-long-task-name:       Two lines of description \n* build:                       Build it      (aliases: b)\n* lint:                                      (aliases: l)\n* test:                        Run the tests\n", 0),
        new("list/none_with_description", Taskfile("version: '3'\ntasks:\n  a:\n    cmds: [echo a]\n"), ["run", "--list"],
            "task: No tasks with description available. Try --list-all to list all tasks\n", 1),
        new("list/unknown_task_lists_first", Taskfile(Listing), ["run", "nope"],
            "task: Available tasks for this project:\n* a-very-long-task-name:       Two lines of description \n* build:                       Build it      (aliases: b)\n* test:                        Run the tests\ntask: Task \"nope\" does not exist\n", 2),
        new("list/unknown_default", Taskfile("version: '3'\ntasks:\n  a:\n    cmds: [echo a]\n"), ["run"],
            "task: No tasks with description available. Try --list-all to list all tasks\ntask: Task \"default\" does not exist\n", 2),

        // --verbose: go-task's lines, none of ours
        new("verbose/lines", Taskfile("""
            version: '3'
            vars:
              V: {sh: echo hi}
            tasks:
              default:
                cmds: ['echo {{.V}}']
            """), ["run", "--verbose"], "task: dynamic variable: \"echo hi\" result: \"hi\"\ntask: \"default\" started\ntask: [default] echo hi\nhi\ntask: \"default\" finished\n", 0),

        // up to date: silent tasks say nothing
        new("status/up_to_date", Taskfile("version: '3'\ntasks:\n  gen:\n    status: [true]\n    cmds: [echo never]\n"), ["run", "gen"], "task: Task \"gen\" is up to date\n", 0),
        new("status/up_to_date_silent", Taskfile("version: '3'\ntasks:\n  gen:\n    silent: true\n    status: [true]\n    cmds: [echo never]\n"), ["run", "gen"], "", 0),
    ];

    public static TheoryData<Case> Cases => new(All);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_go_task(Case c)
    {
        var dir = WorkflowProcess.TempDir();
        foreach (var (path, text) in c.Files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        // then the placeholders, which may name another fixture file's checksum
        foreach (var (path, text) in c.Files) File.WriteAllText(Path.Combine(dir, path), Expand(text, dir));
        var (exit, merged) = RunMerged(dir, c.Environment, c.Args);
        Assert.Equal(Expand(c.Expected, dir), merged);
        Assert.Equal(c.Exit, exit);
    }

    [Fact]
    public void Validate_reports_an_include_whose_checksum_no_longer_matches_at_the_checksum()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "lib.yml"), "version: '3'\ntasks:\n  hello:\n    cmds: [echo hi]\n");
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), "version: '3'\nincludes:\n  lib:\n    taskfile: ./lib.yml\n    checksum: abc123\n");
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "validate", "Taskfile.yml");
        Assert.NotEqual(0, code);
        Assert.Contains("Taskfile.yml(5,15): error WF4013", stdout + stderr);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "lib.yml")))).ToLowerInvariant(), stdout + stderr);
    }

    [Fact]
    public void The_cases_cover_every_conformance_defect()
    {
        Assert.True(All.Length >= 35, $"{All.Length} cases");
        Assert.Equal(All.Length, All.Select(c => c.Name).Distinct().Count());
    }

    /// <summary>{{DIR}} is the fixture's folder; {{SHA:file}} the SHA-256 of a fixture file as written.</summary>
    private static string Expand(string text, string dir)
    {
        text = text.Replace("{{DIR}}", dir);
        var at = text.IndexOf("{{SHA:", StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = text.IndexOf("}}", at, StringComparison.Ordinal);
            var file = text[(at + 6)..end];
            var sha = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, file)))).ToLowerInvariant();
            text = text[..at] + sha + text[(end + 2)..];
            at = text.IndexOf("{{SHA:", StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>The CLI with stdout and stderr on one pipe, in the order it wrote them.</summary>
    private static (int Exit, string Output) RunMerged(string dir, Dictionary<string, string> environment, string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "exec \"$@\" 2>&1", "sh", WorkflowProcess.Host, WorkflowProcess.Dll, .. args]) psi.ArgumentList.Add(a);
        // Variables the fixtures set in their env: absent unless the case sets them, as in go-task's tests.
        foreach (var name in new[] { "FOO", "BAR", "BAZ", "QUX", "GOOS", "GOARCH", "CGO_ENABLED", "STAGE", "GREETING", "NAME", "ENV", "TARGET", "GITHUB_ACTIONS" })
            psi.Environment.Remove(name);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"workflow {string.Join(" ", args)} did not finish in 60 s");
        }
        return (process.ExitCode, output.Result);
    }
}
