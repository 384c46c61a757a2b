using Pipeline.Core.Diagnostics;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// A Taskfile failure a user can cause or fix, with go-task's message and our exit code: 1 when a task
/// ran and failed, 2 when the call itself is wrong (unknown or internal task, missing or disallowed
/// variable, bad Taskfile). One type per failure, as go-task does.
/// </summary>
public abstract class TaskfileException(string message, int exitCode) : Exception(message)
{
    public const int Failed = 1;
    public const int Invalid = 2;

    public int ExitCode { get; } = exitCode;
}

public sealed class TaskNotFoundException(string name, string? didYouMean)
    : TaskfileException($"task: Task \"{name}\" does not exist" + (didYouMean is null ? "" : $". Did you mean \"{didYouMean}\"?"), Invalid);

public sealed class TaskInternalException(string name) : TaskfileException($"task: Task \"{name}\" is internal", Invalid);

public sealed class AmbiguousTaskException(string name, IEnumerable<string> matches)
    : TaskfileException($"task: Found multiple tasks ({string.Join(", ", matches)}) that match \"{name}\"", Invalid);

public sealed class MissingRequiredVarsException(string task, IEnumerable<string> vars)
    : TaskfileException($"task: Task \"{task}\" cancelled because it is missing required variables: {string.Join(", ", vars)}", Invalid);

/// <summary>A value outside its <c>enum</c>. go-task's message ends with an empty line (its list form), kept byte for byte.</summary>
public sealed class VarNotAllowedException(string task, string variable, string value, IEnumerable<string> allowed)
    : TaskfileException($"task: Task \"{task}\" cancelled because it is missing required variables:\n  - {variable} has an invalid value : '{value}' (allowed values : [{string.Join(" ", allowed)}])\n", Invalid);

/// <summary>An include's <c>checksum:</c> does not match the file (go-task's message, with Go's %q quoting).</summary>
public sealed class IncludeChecksumException(string path, string actual, string expected)
    : TaskfileException($"task: The checksum of the Taskfile at \"{path}\" does not match!\ngot: \"{actual}\"\nwant: \"{expected}\"", Invalid);

/// <summary><c>enum: { ref: .X }</c> where .X is not a list (or not set).</summary>
public sealed class EnumReferenceException(string reference)
    : TaskfileException($"enum reference \"{reference}\" must resolve to a list", Invalid);

/// <summary>A <c>for: { matrix: }</c> entry whose <c>ref:</c> is not a list (or not set): go-task reports it as a parse error of the file.</summary>
public sealed class MatrixReferenceException(string taskfile, string reference)
    : TaskfileException($"task: Failed to parse {taskfile}:\nmatrix reference \"{reference}\" must resolve to a list", Invalid);

/// <summary>The only cycle check go-task has: a task called 1000 times in one run.</summary>
public sealed class TaskCalledTooManyTimesException(string task)
    : TaskfileException($"task: Maximum task call exceeded (1000) for task \"{task}\": probably an cyclic dep or infinite loop", Failed);

public sealed class PreconditionNotMetException() : TaskfileException("task: precondition not met", Failed);

public sealed class TaskCancelledByUserException(string task) : TaskfileException($"task: Task \"{task}\" cancelled by user", Failed);

/// <summary>A template that does not parse or evaluate, named with the task and field it sits in.</summary>
public sealed class TaskfileTemplateException(string where, string message) : TaskfileException($"task: {where}: {message}", Invalid);

/// <summary>A variable declared <c>secret: true</c> (or passed on the command line under a secret's name) is too short to be masked (WF4012).</summary>
public sealed class SecretTooShortException(string name, string problem)
    : TaskfileException($"task: secret variable \"{name}\" cannot be masked: {problem} (WF4012)", Invalid)
{
    public static void Check(string name, string value)
    {
        if (Secrets.SecretMasker.Problem(value) is { } problem) throw new SecretTooShortException(name, problem);
    }
}

/// <summary>The Taskfile (or an included one) has errors; the diagnostics say where.</summary>
public sealed class TaskfileInvalidException(IReadOnlyList<Diagnostic> diagnostics)
    : TaskfileException("task: the Taskfile has errors", Invalid)
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}

/// <summary>
/// A command (or a task it called) failed: <c>task: Failed to run task "name": exit status 1</c>, nested
/// along the call chain as go-task does. <see cref="CommandExitCode"/> is the failing command's own code.
/// </summary>
public sealed class TaskRunException(string task, string inner, int? commandExitCode)
    : TaskfileException($"task: Failed to run task \"{task}\": {inner}", Failed)
{
    public string Task { get; } = task;
    public int? CommandExitCode { get; } = commandExitCode;
}

/// <summary>A command's own failure, before the task name is put around it.</summary>
public sealed class CommandFailedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
