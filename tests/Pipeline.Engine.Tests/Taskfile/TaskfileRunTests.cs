using Pipeline.Engine.Running;
using Pipeline.Engine.Taskfile;

namespace Pipeline.Engine.Tests.Taskfile;

/// <summary>go-task's run semantics, with real processes (docs/taskfile.md lists them).</summary>
public sealed class TaskfileRunTests : IDisposable
{
    private readonly TaskfileHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Deps_run_in_parallel_before_the_commands_which_run_in_order()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [a, b]
                cmds:
                  - echo one
                  - echo two
                  - echo three
              a: sleep 0.4
              b: sleep 0.4
            """);
        Assert.Null(result.Failure);
        var a = _h.Result("a");
        var b = _h.Result("b");
        Assert.True(a.StartedAt < b.FinishedAt && b.StartedAt < a.FinishedAt, "a and b should overlap");
        var main = _h.Result("default");
        Assert.True(main.StartedAt >= a.FinishedAt && main.StartedAt >= b.FinishedAt, "cmds start after every dep");
        Assert.Equal(["one", "two", "three"], _h.Stdout);
        Assert.Equal(["task: [a] sleep 0.4", "task: [b] sleep 0.4", "task: [default] echo one", "task: [default] echo two", "task: [default] echo three"],
            _h.Messages.Order(StringComparer.Ordinal).Take(2).Concat(_h.Messages.Skip(2)).ToList());
    }

    [Fact]
    public async Task Task_calls_run_in_place_with_vars_rendered_by_the_caller()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                vars: { WHO: caller }
                cmds:
                  - echo before
                  - task: greet
                    vars: { NAME: '{{.WHO}}-x' }
                  - echo after
              greet:
                cmds: ['echo "hello {{.NAME}} from {{.TASK}}"']
            """);
        Assert.Equal(["before", "hello caller-x from greet", "after"], _h.Stdout);
    }

    [Fact]
    public async Task Variable_precedence_is_go_tasks_and_the_default_idiom_lets_callers_override()
    {
        await _h.Run("""
            version: '3'
            vars:
              GLOBAL: from-taskfile
              FIXED: global
            tasks:
              default:
                vars:
                  FIXED: task-wins
                  OPEN: '{{.OPEN | default "task-default"}}'
                cmds:
                  - echo "{{.GLOBAL}} {{.FIXED}} {{.OPEN}}"
                  - task: show
                    vars: { OPEN: from-call }
              show:
                vars:
                  OPEN: '{{.OPEN | default "unset"}}'
                cmds: ['echo "show {{.OPEN}} {{.FIXED}}"']
            """, new TaskfileRunOptions { Variables = new Dictionary<string, string> { ["GLOBAL"] = "from-cli", ["FIXED"] = "cli" } });
        Assert.Equal(["from-cli task-wins task-default", "show from-call cli"], _h.Stdout);
    }

    [Fact]
    public async Task Dynamic_ref_and_map_variables_and_special_variables()
    {
        await _h.Run("""
            version: '3'
            vars:
              GREETING: { sh: 'printf "hi\n"' }
              LIST: [a, b]
              FIRST: { ref: index .LIST 0 }
              CONF: { map: { port: 8080 } }
            tasks:
              default:
                cmds:
                  - echo "{{.GREETING}}|{{.FIRST}}|{{len .LIST}}|{{.CONF.port}}|{{.TASK}}|{{base .ROOT_DIR}}|{{.CLI_ARGS}}"
            """, new TaskfileRunOptions { CliArgs = ["x y", "z"] });
        Assert.Equal([$"hi|a|2|8080|default|{Path.GetFileName(_h.Folder)}|'x y' z"], _h.Stdout);
    }

    [Fact]
    public async Task Dir_is_relative_to_the_Taskfile_and_created_when_missing()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                dir: build/out
                cmds: ['pwd', 'echo "{{.TASK_DIR}}"']
            """);
        var expected = Path.Combine(_h.Folder, "build", "out");
        Assert.Equal([expected, expected], _h.Stdout);
    }

    [Fact]
    public async Task Environment_layers_taskfile_env_dotenv_and_task_env()
    {
        _h.Write(".env", "FROM_DOTENV=dotenv\nSHARED=dotenv\n# comment\nQUOTED=\"a b\"\n");
        _h.Write("task.env", "TASK_DOTENV=yes\nSHARED2=task-dotenv\n");
        await _h.Run("""
            version: '3'
            dotenv: ['.env', 'missing.env']
            env:
              SHARED: taskfile
              TOP: '{{.TASK}}'
            tasks:
              default:
                dotenv: ['task.env']
                env: { SHARED2: task-env }
                cmds: ['echo "$FROM_DOTENV $SHARED $QUOTED $TOP $TASK_DOTENV $SHARED2"']
            """);
        Assert.Equal(["dotenv taskfile a b default yes task-env"], _h.Stdout);
    }

    [Fact]
    public async Task A_failing_precondition_stops_the_task_with_its_message()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                preconditions:
                  - test -d .
                  - sh: test -f missing.txt
                    msg: missing.txt is needed
                cmds: ['echo ran']
            """);
        // as in go-task, not wrapped in "Failed to run task": the task did not run
        Assert.Equal("task: precondition not met", Assert.IsType<PreconditionNotMetException>(result.Failure).Message);
        Assert.Contains("task: missing.txt is needed", _h.Messages);
        Assert.Empty(_h.Stdout);
        Assert.Equal(RunStatus.Failed, result.Run.Status);
    }

    [Fact]
    public async Task Status_commands_make_a_task_up_to_date()
    {
        const string yaml = """
            version: '3'
            tasks:
              default:
                cmds: ['touch marker', 'echo built']
                status: ['test -f marker']
            """;
        await _h.Run(yaml);
        Assert.Equal(["built"], _h.Stdout);
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Empty(_h.Stdout);
        Assert.Contains("task: Task \"default\" is up to date", _h.Messages);
        Assert.Equal(TaskState.Skipped, _h.Result("default").State);
        await _h.RunAgain(new TaskfileRunOptions { Force = true });
        Assert.Equal(["built"], _h.Stdout);
    }

    [Fact]
    public async Task Sources_checksum_skips_unchanged_work_and_reruns_after_a_change()
    {
        _h.Write("src/a.txt", "one");
        const string yaml = """
            version: '3'
            tasks:
              default:
                sources: ['src/**/*.txt', {exclude: 'src/ignored.txt'}]
                generates: [out.txt]
                cmds: ['cat src/a.txt > out.txt', 'echo built']
            """;
        await _h.Run(yaml);
        Assert.Equal(["built"], _h.Stdout);
        Assert.True(File.Exists(Path.Combine(_h.Folder, ".task", "checksum", "default")));

        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Empty(_h.Stdout);

        _h.Write("src/ignored.txt", "excluded files do not count");
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Empty(_h.Stdout);

        _h.Write("src/a.txt", "two");
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Equal(["built"], _h.Stdout);

        File.Delete(Path.Combine(_h.Folder, "out.txt"));
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Equal(["built"], _h.Stdout); // a generates glob that matches nothing means not up to date
    }

    [Fact]
    public async Task A_failed_run_forgets_its_checksum_so_the_next_run_tries_again()
    {
        _h.Write("in.txt", "x");
        await _h.Run("""
            version: '3'
            tasks:
              default:
                sources: [in.txt]
                cmds: ['echo attempt', 'test -f ok']
            """);
        Assert.False(File.Exists(Path.Combine(_h.Folder, ".task", "checksum", "default")));
        _h.Write("ok", "");
        var second = await _h.RunAgain(new TaskfileRunOptions());
        Assert.Null(second.Failure);
        Assert.Equal(["attempt"], _h.Stdout);
    }

    [Fact]
    public async Task Timestamp_method_compares_sources_with_generated_files()
    {
        _h.Write("in.txt", "x");
        const string yaml = """
            version: '3'
            tasks:
              default:
                method: timestamp
                sources: [in.txt]
                generates: [out.txt]
                cmds: ['cp in.txt out.txt', 'echo built']
            """;
        await _h.Run(yaml);
        Assert.Equal(["built"], _h.Stdout);
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Empty(_h.Stdout);
        File.SetLastWriteTimeUtc(Path.Combine(_h.Folder, "in.txt"), DateTime.UtcNow.AddMinutes(5));
        await _h.RunAgain(new TaskfileRunOptions());
        Assert.Equal(["built"], _h.Stdout);
    }

    [Fact]
    public async Task Defers_run_last_in_first_out_even_after_a_failure_with_the_exit_code()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                cmds:
                  - defer: echo "first defer {{.EXIT_CODE}}"
                  - echo work
                  - defer: { task: cleanup }
                  - exit 3
                  - defer: echo never registered
                  - echo never
              cleanup: echo cleanup
            """);
        Assert.Equal(["work", "cleanup", "first defer 3"], _h.Stdout);
        var failure = Assert.IsType<TaskRunException>(result.Failure);
        Assert.Equal("task: Failed to run task \"default\": exit status 3", failure.Message);
        Assert.Equal(3, failure.CommandExitCode);
    }

    [Fact]
    public async Task Ignore_error_on_a_command_or_a_task_goes_on()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                cmds:
                  - cmd: exit 3
                    ignore_error: true
                  - task: lenient
                  - echo end
              lenient:
                ignore_error: true
                cmds: ['exit 4', 'echo still']
            """);
        Assert.Null(result.Failure);
        Assert.Equal(["still", "end"], _h.Stdout);
        Assert.Contains("task: [default] command error ignored: exit status 3", _h.Messages);
        Assert.Contains("task: [lenient] command error ignored: exit status 4", _h.Messages);
    }

    [Fact]
    public async Task Failures_are_wrapped_along_the_call_chain()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                cmds: [{task: middle}, 'echo not reached']
              middle:
                cmds: [{task: leaf}]
              leaf: exit 5
            """);
        Assert.Equal("task: Failed to run task \"default\": task: Failed to run task \"middle\": task: Failed to run task \"leaf\": exit status 5",
            result.Failure!.Message);
        Assert.Equal(5, ((TaskRunException)result.Failure).CommandExitCode);
        Assert.Empty(_h.Stdout);
    }

    [Fact]
    public async Task A_failing_dep_stops_the_task_before_its_commands()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [bad, good]
                cmds: ['echo main']
              bad: exit 1
              good: echo good
            """);
        Assert.Equal("task: Failed to run task \"bad\": exit status 1", result.Failure!.Message);
        Assert.DoesNotContain("main", _h.Stdout);
        Assert.Contains("good", _h.Stdout); // without failfast the other deps finish
    }

    [Fact]
    public async Task Platforms_skip_tasks_and_commands_for_other_systems()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [windows-only]
                cmds:
                  - cmd: echo on-windows
                    platforms: [windows]
                  - cmd: echo on-this-machine
                    platforms: [linux/amd64, linux/arm64, darwin]
              windows-only:
                platforms: [windows]
                cmds: ['echo windows']
            """);
        Assert.Equal(["on-this-machine"], _h.Stdout);
    }

    [Fact]
    public async Task For_loops_over_lists_variables_matrices_and_sources()
    {
        _h.Write("b.txt", "");
        _h.Write("a.txt", "");
        await _h.Run("""
            version: '3'
            vars:
              WORDS: one two
              CSV: x,y
            tasks:
              default:
                sources: ['*.txt']
                cmds:
                  - for: [1, 2]
                    cmd: echo "list {{.ITEM}}"
                  - for: { var: WORDS }
                    cmd: echo "word {{.ITEM}}"
                  - for: { var: CSV, split: ',', as: LETTER }
                    cmd: echo "csv {{.LETTER}}"
                  - for: { matrix: { OS: [linux, darwin], ARCH: [amd64] } }
                    cmd: echo "build {{.ITEM.OS}}/{{.ITEM.ARCH}}"
                  - for: sources
                    cmd: echo "file {{.ITEM}}"
                  - for: [p, q]
                    task: show
                    vars: { V: '{{.ITEM}}' }
              show: echo "show {{.V}}"
            """);
        Assert.Equal(["list 1", "list 2", "word one", "word two", "csv x", "csv y", "build linux/amd64", "build darwin/amd64",
            "file a.txt", "file b.txt", "show p", "show q"], _h.Stdout);
    }

    [Fact]
    public async Task Deps_with_for_run_once_per_item()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                deps:
                  - for: [a, b, c]
                    task: item
                    vars: { N: '{{.ITEM}}' }
              item: echo "item {{.N}}"
            """);
        Assert.Equal(["item a", "item b", "item c"], _h.Stdout.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Silent_and_secrets_shape_the_echo_lines()
    {
        await _h.Run("""
            version: '3'
            vars:
              TOKEN: { value: s3cr3t-value, secret: true }
            tasks:
              default:
                cmds:
                  - echo "token {{.TOKEN}}"
                  - cmd: echo quiet
                    silent: true
                  - task: hushed
              hushed:
                silent: true
                cmds: [echo hush]
            """);
        Assert.Equal(["task: [default] echo \"token *****\""], _h.Messages);
        Assert.Equal(["token ***", "quiet", "hush"], _h.Stdout);
    }

    [Fact]
    public async Task Secrets_of_env_includes_and_calls_are_masked_in_echoes_and_output()
    {
        _h.Write("lib/Taskfile.yml", """
            version: '3'
            tasks:
              show: echo "lib {{.LIB_KEY}}"
            """);
        await _h.Run("""
            version: '3'
            env:
              API_TOKEN: { value: env-s3cret, secret: true }
            includes:
              lib:
                taskfile: ./lib
                vars:
                  LIB_KEY: { value: include-s3cret, secret: true }
            tasks:
              default:
                cmds:
                  - echo "{{.API_TOKEN}} $API_TOKEN"
                  - task: lib:show
                  - task: greet
                    vars:
                      PASSWORD: { value: call-s3cret, secret: true }
              greet: echo "pw {{.PASSWORD}}"
            """);
        Assert.Equal(["task: [default] echo \"***** $API_TOKEN\"", "task: [lib:show] echo \"lib *****\"", "task: [greet] echo \"pw *****\""], _h.Messages);
        Assert.Equal(["*** ***", "lib ***", "pw ***"], _h.Stdout);
    }

    [Fact]
    public async Task Run_once_shares_one_execution_between_callers()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [a, b]
              a: { deps: [setup], cmds: ['echo a'] }
              b: { deps: [setup], cmds: ['echo b'] }
              setup:
                run: once
                cmds: ['echo setup']
            """);
        Assert.Single(_h.Stdout, l => l == "setup");
    }

    [Fact]
    public async Task A_cycle_of_calls_stops_after_a_thousand_calls()
    {
        // the validator reports literal cycles (WF2004); a templated name hides this one until run time
        var result = await _h.Run("""
            version: '3'
            vars: { NEXT: ping }
            tasks:
              default: { cmds: [{task: ping}] }
              ping: { cmds: [{task: pong}] }
              pong: { cmds: [{task: '{{.NEXT}}'}] }
            """);
        Assert.Contains("Maximum task call exceeded (1000) for task \"ping\"", result.Failure!.Message);
    }

    [Fact]
    public async Task Unknown_and_internal_tasks_are_refused_from_the_command_line()
    {
        const string yaml = """
            version: '3'
            tasks:
              build: echo build
              secret-step: { internal: true, cmds: [echo internal] }
            """;
        var unknown = await _h.Run(yaml, "biuld");
        var notFound = Assert.IsType<TaskNotFoundException>(unknown.Failure);
        Assert.Equal("task: Task \"biuld\" does not exist. Did you mean \"build\"?", notFound.Message);
        Assert.Equal(TaskfileException.Invalid, notFound.ExitCode);
        var inner = await _h.RunAgain(new TaskfileRunOptions(), "secret-step");
        Assert.Equal("task: Task \"secret-step\" is internal", Assert.IsType<TaskInternalException>(inner.Failure).Message);
    }

    [Fact]
    public async Task Aliases_and_wildcards_resolve_with_MATCH()
    {
        await _h.Run("""
            version: '3'
            tasks:
              build:
                aliases: [b]
                cmds: [echo build]
              deploy-*:
                vars: { TARGET: '{{index .MATCH 0}}' }
                cmds: ['echo "deploy {{.TARGET}}"']
            """, "b", "deploy-staging");
        Assert.Equal(["build", "deploy staging"], _h.Stdout);
    }

    [Fact]
    public async Task Requires_checks_presence_and_allowed_values()
    {
        const string yaml = """
            version: '3'
            tasks:
              default:
                requires:
                  vars: [NAME, {name: ENV, enum: [dev, prod]}]
                cmds: ['echo "{{.NAME}} {{.ENV}}"']
            """;
        var missing = await _h.Run(yaml);
        Assert.Contains("missing required variables: NAME, ENV", Assert.IsType<MissingRequiredVarsException>(missing.Failure).Message);
        var wrong = await _h.RunAgain(new TaskfileRunOptions { Variables = new Dictionary<string, string> { ["NAME"] = "n", ["ENV"] = "qa" } });
        Assert.Contains("ENV has an invalid value : 'qa' (allowed values : [dev prod])", Assert.IsType<VarNotAllowedException>(wrong.Failure).Message);
        var ok = await _h.RunAgain(new TaskfileRunOptions { Variables = new Dictionary<string, string> { ["NAME"] = "n", ["ENV"] = "prod" } });
        Assert.Null(ok.Failure);
        Assert.Equal(["n prod"], _h.Stdout);
    }

    [Fact]
    public async Task If_skips_a_task_or_a_command_whose_condition_fails()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [never]
                cmds:
                  - cmd: echo skipped
                    if: '[ "{{.TASK}}" = "other" ]'
                  - cmd: echo kept
                    if: 'true'
              never:
                if: 'false'
                cmds: [echo never]
            """);
        Assert.Equal(["kept"], _h.Stdout);
    }

    [Fact]
    public async Task A_command_timeout_kills_it_and_reports_exit_code_124()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                cmds:
                  - cmd: sleep 30
                    timeout: 300ms
            """);
        var failure = Assert.IsType<TaskRunException>(result.Failure);
        Assert.Equal("task: Failed to run task \"default\": task: [default] command timeout exceeded (300ms)", failure.Message);
        Assert.Equal(124, failure.CommandExitCode);
    }

    [Fact]
    public async Task Dry_run_echoes_commands_without_running_them()
    {
        await _h.Run("""
            version: '3'
            tasks:
              default:
                cmds: ['touch created', 'echo hi']
            """, new TaskfileRunOptions { DryRun = true });
        Assert.Empty(_h.Stdout);
        Assert.Equal(["task: [default] touch created", "task: [default] echo hi"], _h.Messages);
        Assert.False(File.Exists(Path.Combine(_h.Folder, "created")));
    }

    [Fact]
    public async Task Max_parallel_one_does_not_deadlock_on_nested_calls()
    {
        var result = await _h.Run("""
            version: '3'
            tasks:
              default:
                deps: [a, b]
                cmds: [{task: c}]
              a: { cmds: [{task: c}] }
              b: echo b
              c: echo c
            """, new TaskfileRunOptions { MaxParallel = 1 });
        Assert.Null(result.Failure);
        Assert.Equal(2, _h.Stdout.Count(l => l == "c"));
    }

    [Fact]
    public async Task Prompts_cancel_without_a_yes()
    {
        const string yaml = """
            version: '3'
            tasks:
              default:
                prompt: Really deploy?
                cmds: [echo deployed]
            """;
        var refused = await _h.Run(yaml);
        Assert.Equal("task: Task \"default\" cancelled by user", refused.Failure!.Message);
        var asked = new List<string>();
        var yes = await _h.RunAgain(new TaskfileRunOptions { Prompt = q => { asked.Add(q); return true; } });
        Assert.Null(yes.Failure);
        Assert.Equal(["Really deploy?"], asked);
        Assert.Equal(["deployed"], _h.Stdout);
    }
}
