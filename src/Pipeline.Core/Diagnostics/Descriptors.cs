using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Pipeline.Core.Diagnostics;

/// <summary>
/// Every diagnostic the readers and the validator can report. Codes are stable: a code is never
/// reused for another meaning. The README's table and docs/diagnostics.md are checked against this
/// list by a test, so a new code cannot ship undocumented.
/// </summary>
public static class Descriptors
{
    // WF1xxx: syntax and schema
    public static readonly DiagnosticDescriptor JsonSyntax = new("WF1001", "Invalid JSON", DiagnosticCategory.Syntax, Severity.Error,
        "{ \"name\": \"x\", \"tasks\": [ }");
    public static readonly DiagnosticDescriptor YamlSyntax = new("WF1002", "Invalid YAML", DiagnosticCategory.Syntax, Severity.Error,
        "a tab used for indentation in Taskfile.yml");
    public static readonly DiagnosticDescriptor Encoding = new("WF1003", "File is not UTF-8 text", DiagnosticCategory.Syntax, Severity.Error,
        "a Latin-1 or binary file");
    public static readonly DiagnosticDescriptor FileTooLarge = new("WF1004", "File too large", DiagnosticCategory.Syntax, Severity.Error,
        "a 10 MB workflow file");
    public static readonly DiagnosticDescriptor DuplicateKey = new("WF1005", "Duplicate key", DiagnosticCategory.Syntax, Severity.Error,
        "\"timeout\": 10, \"timeout\": 20");
    public static readonly DiagnosticDescriptor FileUnreadable = new("WF1006", "File cannot be read", DiagnosticCategory.Syntax, Severity.Error,
        "a path that does not exist or is not readable");
    public static readonly DiagnosticDescriptor RequiredField = new("WF1010", "Required field missing", DiagnosticCategory.Syntax, Severity.Error,
        "a task without \"id\"");
    public static readonly DiagnosticDescriptor UnknownField = new("WF1011", "Unknown field", DiagnosticCategory.Syntax, Severity.Warning,
        "\"depend_on\": [\"build\"] (did you mean depends_on?)");
    public static readonly DiagnosticDescriptor WrongType = new("WF1012", "Wrong value type", DiagnosticCategory.Syntax, Severity.Error,
        "\"depends_on\": { }");
    public static readonly DiagnosticDescriptor InvalidValue = new("WF1013", "Value not allowed", DiagnosticCategory.Syntax, Severity.Error,
        "\"wait_for\": \"some\"");
    public static readonly DiagnosticDescriptor InvalidTaskId = new("WF1014", "Invalid task id", DiagnosticCategory.Syntax, Severity.Error,
        "\"id\": \"build app\"");
    public static readonly DiagnosticDescriptor DuplicateTaskId = new("WF1015", "Duplicate task id", DiagnosticCategory.Syntax, Severity.Error,
        "two tasks with \"id\": \"build\"");
    public static readonly DiagnosticDescriptor UnknownTaskType = new("WF1016", "Unsupported task type", DiagnosticCategory.Syntax, Severity.Error,
        "\"type\": \"bash\"");
    public static readonly DiagnosticDescriptor MissingTaskField = new("WF1017", "Task type needs a field", DiagnosticCategory.Syntax, Severity.Error,
        "a shell task without \"command\"");
    public static readonly DiagnosticDescriptor InvalidTimeout = new("WF1018", "Timeout not positive", DiagnosticCategory.Syntax, Severity.Error,
        "\"timeout\": 0");
    public static readonly DiagnosticDescriptor LongTimeout = new("WF1019", "Timeout above 24 hours", DiagnosticCategory.Syntax, Severity.Warning,
        "\"timeout\": 172800");
    public static readonly DiagnosticDescriptor InvalidRetry = new("WF1020", "Invalid retry policy", DiagnosticCategory.Syntax, Severity.Error,
        "\"retry\": { \"attempts\": 0 }");
    public static readonly DiagnosticDescriptor InvalidUrl = new("WF1021", "Invalid URL", DiagnosticCategory.Syntax, Severity.Error,
        "\"url\": \"htp:/example\"");
    public static readonly DiagnosticDescriptor InvalidConnectionString = new("WF1022", "Invalid connection string", DiagnosticCategory.Syntax, Severity.Error,
        "\"connection\": \"Host=;Database\"");
    public static readonly DiagnosticDescriptor InvalidCron = new("WF1023", "Invalid cron expression", DiagnosticCategory.Syntax, Severity.Error,
        "\"schedule\": \"61 * * * *\"");
    public static readonly DiagnosticDescriptor NoTasks = new("WF1024", "Workflow has no tasks", DiagnosticCategory.Syntax, Severity.Error,
        "\"tasks\": []");
    public static readonly DiagnosticDescriptor UnsupportedVersion = new("WF1025", "Unsupported file version", DiagnosticCategory.Syntax, Severity.Error,
        "version: '2' in Taskfile.yml");
    public static readonly DiagnosticDescriptor InvalidTrigger = new("WF1026", "Invalid trigger", DiagnosticCategory.Syntax, Severity.Error,
        "a file_change trigger without \"paths\"");
    public static readonly DiagnosticDescriptor ConflictingFields = new("WF1027", "Conflicting fields", DiagnosticCategory.Syntax, Severity.Error,
        "both \"trigger\" and \"triggers\"; both cmd and cmds");
    public static readonly DiagnosticDescriptor InvalidName = new("WF1028", "Invalid name", DiagnosticCategory.Syntax, Severity.Error,
        "\"name\": \"\"");
    public static readonly DiagnosticDescriptor NameNotKebabCase = new("WF1029", "Name not kebab-case", DiagnosticCategory.Syntax, Severity.Warning,
        "\"name\": \"Deploy App\"");
    public static readonly DiagnosticDescriptor VersionNotSemantic = new("WF1030", "Version not semantic", DiagnosticCategory.Syntax, Severity.Warning,
        "\"version\": \"v2\"");
    public static readonly DiagnosticDescriptor NotCacheable = new("WF1031", "Task type cannot be cached", DiagnosticCategory.Syntax, Severity.Error,
        "\"inputs\" on an http, sql, conditional, parallel or loop task");
    public static readonly DiagnosticDescriptor CacheWithoutInputs = new("WF1032", "Cache settings without inputs", DiagnosticCategory.Syntax, Severity.Warning,
        "\"cache\": true or \"generates\" on a task with no \"inputs\"");

    // WF2xxx: graph
    public static readonly DiagnosticDescriptor UnknownDependency = new("WF2001", "Unknown task in depends_on", DiagnosticCategory.Graph, Severity.Error,
        "\"depends_on\": [\"biuld\"]");
    public static readonly DiagnosticDescriptor UnknownCallback = new("WF2002", "Unknown task in a callback", DiagnosticCategory.Graph, Severity.Error,
        "\"on_failure\": [\"rollback\"] with no task rollback");
    public static readonly DiagnosticDescriptor UnknownChildTask = new("WF2003", "Unknown task in then/else/tasks/rollback", DiagnosticCategory.Graph, Severity.Error,
        "\"then\": \"deploy-prod\" with no such task");
    public static readonly DiagnosticDescriptor Cycle = new("WF2004", "Dependency cycle", DiagnosticCategory.Graph, Severity.Error,
        "one -> two -> three -> one");
    public static readonly DiagnosticDescriptor SelfDependency = new("WF2005", "Task depends on itself", DiagnosticCategory.Graph, Severity.Error,
        "task build with \"depends_on\": [\"build\"]");
    public static readonly DiagnosticDescriptor DuplicateDependency = new("WF2006", "Dependency listed twice", DiagnosticCategory.Graph, Severity.Warning,
        "\"depends_on\": [\"build\", \"build\"]");
    public static readonly DiagnosticDescriptor Bottleneck = new("WF2007", "Bottleneck task", DiagnosticCategory.Graph, Severity.Warning,
        "most tasks wait on one task");
    public static readonly DiagnosticDescriptor SequentialChain = new("WF2008", "Long sequential chain", DiagnosticCategory.Graph, Severity.Warning,
        "six tasks each waiting on the previous one");
    public static readonly DiagnosticDescriptor CallbackWithDependencies = new("WF2009", "Invoked task has depends_on", DiagnosticCategory.Graph, Severity.Warning,
        "a task used in on_failure that also lists depends_on");
    public static readonly DiagnosticDescriptor UnknownCalledTask = new("WF2010", "Unknown task called", DiagnosticCategory.Graph, Severity.Error,
        "cmds: [{ task: missing }] in Taskfile.yml");
    public static readonly DiagnosticDescriptor InvokedTwice = new("WF2011", "Task owned by two parents", DiagnosticCategory.Graph, Severity.Error,
        "one task listed in two parallel groups");

    public static readonly DiagnosticDescriptor IncludeCycle = new("WF2012", "Include cycle", DiagnosticCategory.Graph, Severity.Error,
        "Taskfile.yml includes docs/Taskfile.yml, which includes ../Taskfile.yml");

    // WF3xxx: expressions
    public static readonly DiagnosticDescriptor ExpressionSyntax = new("WF3001", "Expression syntax error", DiagnosticCategory.Expression, Severity.Error,
        "\"condition\": \"env.X ==\"");
    public static readonly DiagnosticDescriptor UnknownNamedValue = new("WF3002", "Unknown name in expression", DiagnosticCategory.Expression, Severity.Error,
        "\"condition\": \"envs.X == 'a'\"");
    public static readonly DiagnosticDescriptor UnknownTaskInExpression = new("WF3003", "Unknown task in expression", DiagnosticCategory.Expression, Severity.Error,
        "${tasks.biuld.outputs.version}");
    public static readonly DiagnosticDescriptor UndeclaredEnv = new("WF3004", "Environment variable not declared", DiagnosticCategory.Expression, Severity.Info,
        "${env.HOME} with no HOME in environment");
    public static readonly DiagnosticDescriptor UnknownSecret = new("WF3005", "Unknown secret", DiagnosticCategory.Expression, Severity.Error,
        "${secrets.TOKEN} with no TOKEN in secrets");
    public static readonly DiagnosticDescriptor ItemOutsideLoop = new("WF3006", "item or index outside a loop", DiagnosticCategory.Expression, Severity.Error,
        "${item} in a shell task that is not a loop template");
    public static readonly DiagnosticDescriptor UnknownFunction = new("WF3007", "Unknown function or wrong arguments", DiagnosticCategory.Expression, Severity.Error,
        "\"condition\": \"contain(env.X, 'a')\"");
    public static readonly DiagnosticDescriptor OutputNotUpstream = new("WF3008", "Reads a task that may not have run", DiagnosticCategory.Expression, Severity.Warning,
        "${tasks.build.outputs.v} in a task that does not depend on build");
    public static readonly DiagnosticDescriptor UnknownProperty = new("WF3009", "Unknown property", DiagnosticCategory.Expression, Severity.Error,
        "${workflow.nmae} or ${tasks.build.state}");
    public static readonly DiagnosticDescriptor UnterminatedInterpolation = new("WF3010", "Unterminated ${", DiagnosticCategory.Expression, Severity.Error,
        "\"echo ${env.X\"");
    public static readonly DiagnosticDescriptor UndefinedTemplateVar = new("WF3011", "Undefined Taskfile variable", DiagnosticCategory.Expression, Severity.Warning,
        "echo {{.VERSON}} with no VERSON var");
    public static readonly DiagnosticDescriptor TemplateSyntax = new("WF3012", "Taskfile template syntax error", DiagnosticCategory.Expression, Severity.Error,
        "echo {{.VERSION");
    public static readonly DiagnosticDescriptor UnquotedShellVariable = new("WF3013", "Command-line variable pasted into a shell command unquoted", DiagnosticCategory.Expression, Severity.Warning,
        "echo \"testing {{.CLI_ARGS}}\" or rm -rf {{.DIR}} (write {{.DIR | q}})");
    public static readonly DiagnosticDescriptor ExpressionInEval = new("WF3014", "Expression passed to eval", DiagnosticCategory.Expression, Severity.Error,
        "eval \"deploy ${env.TARGET}\"");

    // WF4xxx: environment and external checks (CLI and MSBuild task only; never the source generator)
    public static readonly DiagnosticDescriptor ScriptNotFound = new("WF4001", "Script file not found", DiagnosticCategory.Environment, Severity.Error,
        "\"file\": \"scripts/missing.py\"");
    public static readonly DiagnosticDescriptor InterpreterMissing = new("WF4002", "Interpreter not found", DiagnosticCategory.Environment, Severity.Warning,
        "a python task on a machine without python3");
    public static readonly DiagnosticDescriptor DockerMissing = new("WF4003", "Docker engine not reachable", DiagnosticCategory.Environment, Severity.Warning,
        "a docker task on a machine with no Docker engine socket (DOCKER_HOST, or /var/run/docker.sock)");
    public static readonly DiagnosticDescriptor DirectoryNotFound = new("WF4004", "Working directory not found", DiagnosticCategory.Environment, Severity.Warning,
        "\"cwd\": \"src/missing\"");
    public static readonly DiagnosticDescriptor IncludeNotFound = new("WF4005", "Included Taskfile not found", DiagnosticCategory.Environment, Severity.Error,
        "includes: { docs: ./docs/Taskfile.yml } with no such file");
    public static readonly DiagnosticDescriptor DotenvNotFound = new("WF4006", "dotenv file not found", DiagnosticCategory.Environment, Severity.Info,
        "dotenv: ['.env'] with no .env file");
    public static readonly DiagnosticDescriptor NoWorkflowFiles = new("WF4007", "No workflow files found", DiagnosticCategory.Environment, Severity.Error,
        "workflow validate in an empty directory");
    public static readonly DiagnosticDescriptor ConfigInvalid = new("WF4008", "Invalid configuration file", DiagnosticCategory.Environment, Severity.Error,
        ".workflow-config.json that is not valid");
    public static readonly DiagnosticDescriptor SecretNotSet = new("WF4009", "Secret has no value", DiagnosticCategory.Environment, Severity.Error,
        "\"secrets\": [\"API_TOKEN\"] and workflow run without API_TOKEN in the environment");
    public static readonly DiagnosticDescriptor TaskTypeNotRunnable = new("WF4010", "Task type has no executor", DiagnosticCategory.Environment, Severity.Error,
        "a docker task run by an engine embedded without the docker plug-in (RunOptions.Executors)");

    public static readonly DiagnosticDescriptor ScriptNotExecutable = new("WF4011", "Script not executable", DiagnosticCategory.Environment, Severity.Warning,
        "\"command\": \"./deploy.sh\" where deploy.sh lacks the x bit");
    public static readonly DiagnosticDescriptor SecretTooShort = new("WF4012", "Secret too short to mask", DiagnosticCategory.Environment, Severity.Error,
        "a secret whose value is \"ab\" (at least 4 characters)");
    public static readonly DiagnosticDescriptor IncludeChecksum = new("WF4013", "Included Taskfile changed", DiagnosticCategory.Environment, Severity.Error,
        "an include pinned with checksum: whose file no longer has that SHA-256");

    // WF5xxx: generated C# (the source generator only)
    public static readonly DiagnosticDescriptor NameCollision = new("WF5001", "Generated name renamed", DiagnosticCategory.Generation, Severity.Warning,
        "tasks \"pre-build\" and \"pre_build\" both become PreBuild");
    public static readonly DiagnosticDescriptor DuplicateWorkflowName = new("WF5002", "Two workflows with one name", DiagnosticCategory.Generation, Severity.Error,
        "two files with \"name\": \"deploy\"");
    public static readonly DiagnosticDescriptor NotAnIdentifier = new("WF5003", "Name gives no C# identifier", DiagnosticCategory.Generation, Severity.Error,
        "a workflow named \"---\"");
    public static readonly DiagnosticDescriptor GeneratorFailure = new("WF5004", "Workflow file could not be generated", DiagnosticCategory.Generation, Severity.Error,
        "an internal error of the generator on one file (the other files still generate)");

    public static readonly DiagnosticDescriptor BuildClassNotPartial = new("WF5005", "Build class is not partial", DiagnosticCategory.Generation, Severity.Error,
        "class Build : PipelineBuild without the partial keyword");
    public static readonly DiagnosticDescriptor ParameterNotWritable = new("WF5006", "Parameter cannot be set", DiagnosticCategory.Generation, Severity.Error,
        "[Parameter] readonly string Configuration");
    public static readonly DiagnosticDescriptor ParameterTypeNotSupported = new("WF5007", "Parameter type not supported", DiagnosticCategory.Generation, Severity.Error,
        "[Parameter] DateTime Since");

    private static IReadOnlyList<DiagnosticDescriptor>? _all;

    /// <summary>All descriptors, ordered by code.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => _all ??= typeof(Descriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Code, System.StringComparer.Ordinal)
        .ToList();

    public static DiagnosticDescriptor? Find(string code) => All.FirstOrDefault(d => d.Code == code);
}
