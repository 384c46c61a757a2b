using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Reporting;

/// <summary>
/// Writes a run's record under <c>&lt;state-dir&gt;/runs/&lt;execution-id&gt;/</c>: every task's stdout and
/// stderr as they arrive in <c>logs/&lt;instance&gt;.stdout.log</c> and <c>.stderr.log</c>, and
/// <c>report.json</c> at the end. Lines arrive already masked. An observer like any other.
/// </summary>
public sealed class RunReportWriter : IRunObserver, IDisposable
{
    private readonly string _stateDirectory;
    private readonly Dictionary<string, StreamWriter> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Stdout, string? Stderr)> _logs = new(StringComparer.Ordinal);
    private string? _runDirectory;
    private string? _executionId;

    public RunReportWriter(string stateDirectory) => _stateDirectory = stateDirectory;

    /// <summary>
    /// Where a task instance's output on <paramref name="stream"/> is logged once it prints there.
    /// A function of its names alone, so an observer ahead of this one (the state store, which
    /// stores an event before this writer sees it) can record the path before the file exists.
    /// </summary>
    public string LogPath(string executionId, string instanceId, OutputStream stream) =>
        Path.Combine(RunDirectory(executionId), "logs", FileName(instanceId) + (stream == OutputStream.Stdout ? ".stdout.log" : ".stderr.log"));

    private string RunDirectory(string executionId) => Path.GetFullPath(Path.Combine(_stateDirectory, "runs", executionId));

    /// <summary>The report, once it is written whole; null before, or when it could not be (see <see cref="Error"/>).</summary>
    public string? ReportPath { get; private set; }

    /// <summary>The first error writing the report or logs; the run goes on without them.</summary>
    public string? Error { get; private set; }

    public void OnEvent(RunEvent e)
    {
        try
        {
            switch (e)
            {
                case RunStarted s:
                    _executionId = s.ExecutionId;
                    _runDirectory = RunDirectory(s.ExecutionId);
                    Directory.CreateDirectory(Path.Combine(_runDirectory, "logs"));
                    break;
                case TaskOutput o when _runDirectory is not null:
                    Writer(o.InstanceId, o.Stream).WriteLine(o.Line);
                    break;
                case TaskFinished f:
                    Close(f.Result.InstanceId);
                    break;
                case RunFinished r when _runDirectory is not null:
                    foreach (var id in _open.Keys.ToList()) Close(id[..id.LastIndexOf('|')]);
                    WriteReport(Path.Combine(_runDirectory, "report.json"), r.Result);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error ??= ex.Message;
        }
    }

    /// <summary>
    /// Writes the report beside its place, then moves it there: a full disk or a crash leaves no
    /// report rather than half of one. Written straight to the file, not built as a document first:
    /// a run of thousands of tasks ended tens of milliseconds sooner.
    /// </summary>
    private void WriteReport(string path, RunResult result)
    {
        var partial = path + ".partial";
        try
        {
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var json = new Utf8JsonWriter(file, JsonOptions))
                WriteRun(json, result);
            File.Move(partial, path, overwrite: true);
            ReportPath = path;
        }
        finally
        {
            if (ReportPath is null) File.Delete(partial);
        }
    }

    private StreamWriter Writer(string instance, OutputStream stream)
    {
        var key = instance + "|" + stream;
        if (_open.TryGetValue(key, out var w)) return w;
        var file = LogPath(_executionId!, instance, stream);
        w = new StreamWriter(file, append: true) { AutoFlush = false };
        _open[key] = w;
        var logs = _logs.GetValueOrDefault(instance);
        _logs[instance] = stream == OutputStream.Stdout ? logs with { Stdout = file } : logs with { Stderr = file };
        return w;
    }

    private void Close(string instance)
    {
        foreach (var stream in new[] { OutputStream.Stdout, OutputStream.Stderr })
            if (_open.Remove(instance + "|" + stream, out var w))
            {
                // One log that cannot be flushed (a full disk) must not keep the others, or the report, from being written.
                try { w.Dispose(); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { Error ??= ex.Message; }
            }
    }

    /// <summary>Instance ids hold '/' and '[': file names get '__' and keep the rest.</summary>
    public static string FileName(string instance) => instance.Replace("/", "__").Replace('\\', '_').Replace(':', '_');

    private void WriteRun(Utf8JsonWriter w, RunResult r)
    {
        w.WriteStartObject();
        w.WriteString("execution_id", r.ExecutionId);
        w.WriteString("workflow", r.Workflow);
        w.WriteString("file", r.File);
        w.WriteString("status", r.Status.ToString().ToLowerInvariant());
        w.WriteString("started_at", r.StartedAt.ToString("O"));
        w.WriteString("finished_at", r.FinishedAt.ToString("O"));
        w.WriteNumber("duration_seconds", Math.Round(r.Duration.TotalSeconds, 3));
        w.WriteString("error", r.Error);
        w.WriteStartArray("critical_path_taken");
        foreach (var id in r.CriticalPathTaken) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteStartArray("tasks");
        foreach (var t in r.Tasks)
        {
            WriteTask(w, t);
            // The writer holds what it has not flushed, growing its buffer by copying: hand it to the file as it goes.
            if (w.BytesPending > 32 * 1024) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteTask(Utf8JsonWriter w, TaskResult t)
    {
        var logs = _logs.GetValueOrDefault(t.InstanceId);
        w.WriteStartObject();
        w.WriteString("instance_id", t.InstanceId);
        w.WriteString("task_id", t.TaskId);
        w.WriteString("type", t.TaskType);
        w.WriteString("role", t.Role);
        w.WriteString("parent", t.Parent);
        w.WriteString("status", t.State.Name());
        w.WriteString("started_at", t.StartedAt?.ToString("O"));
        w.WriteString("finished_at", t.FinishedAt?.ToString("O"));
        w.WriteNumber("duration_seconds", Math.Round(t.Duration.TotalSeconds, 3));
        WriteNumberOrNull(w, "exit_code", t.ExitCode);
        w.WriteString("error", t.Error);
        w.WriteString("reason", t.Reason);
        w.WriteBoolean("continued_on_error", t.ContinuedOnError);
        w.WriteStartArray("attempts");
        foreach (var a in t.Attempts)
        {
            w.WriteStartObject();
            w.WriteNumber("number", a.Number);
            w.WriteString("status", a.State.Name());
            w.WriteString("started_at", a.StartedAt.ToString("O"));
            w.WriteNumber("duration_seconds", Math.Round(a.Duration.TotalSeconds, 3));
            WriteNumberOrNull(w, "exit_code", a.ExitCode);
            w.WriteString("error", a.Error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("outputs");
        foreach (var (name, value) in t.Outputs) w.WriteString(name, value);
        w.WriteEndObject();
        w.WriteString("stdout_log", logs.Stdout is null ? null : Path.GetRelativePath(_runDirectory!, logs.Stdout));
        w.WriteString("stderr_log", logs.Stderr is null ? null : Path.GetRelativePath(_runDirectory!, logs.Stderr));
        w.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Dispose()
    {
        foreach (var w in _open.Values) w.Dispose();
        _open.Clear();
    }
}
