using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Generators.Emitting;

/// <summary>
/// Writes a <see cref="WorkflowDefinition"/> as one C# expression that rebuilds it: object
/// initialisers and array literals, nothing parsed at run time. Positions are not kept (every span
/// is the start of the file, <c>s</c>): the build has already reported anything that needed them,
/// and leaving them out keeps the generated code unchanged when only layout changes.
/// The expression expects three locals of the generated method: <c>s</c> (the span), <c>L</c>
/// (a located string) and <c>R</c> (a task reference).
/// </summary>
internal static class DefinitionLiteral
{
    private const string Model = "global::Pipeline.Core.Model.";

    public static string Write(WorkflowDefinition w)
    {
        var p = new List<string> { $"Name = {L(w.Name)}" };
        Opt(p, "Version", w.Version);
        Opt(p, "Description", w.Description);
        Opt(p, "Category", w.Category);
        List(p, "Triggers", "TriggerDefinition", w.Triggers, Trigger);
        List(p, "Environment", "NamedValue", w.Environment, Named);
        List(p, "Secrets", "SecretDeclaration", w.Secrets, s => $"new {Model}SecretDeclaration({L(s.Name)}, {Str(s.Description)}, {Str(s.From)}, s)");
        if (w.Notifications is { } n) p.Add($"Notifications = {Notifications(n)}");
        if (w.Tasks.Count > 0)
            p.Add($"Tasks = new {Model}TaskDefinition[]\n        {{\n{string.Join(",\n", w.Tasks.Select(t => "            " + Task(t)))},\n        }}");
        List(p, "Rollback", "TaskRef", w.Rollback, Ref);
        if (w.MaxParallel is { } mp) p.Add($"MaxParallel = {LocatedInt(mp)}");
        if (w.Concurrency != ConcurrencyPolicy.Allow) p.Add($"Concurrency = {Model}ConcurrencyPolicy.{w.Concurrency}");
        Opt(p, "ConcurrencyGroup", w.ConcurrencyGroup);
        p.Add($"Format = {Model}WorkflowFormat.{w.Format}");
        p.Add("Path = File");
        p.Add("Span = s");
        return Init("WorkflowDefinition", p, "    ");
    }

    private static string Notifications(NotificationSettings n)
    {
        var p = new List<string> { "Span = s" };
        List(p, "Channels", "NotificationChannel", n.Channels, c => $"new {Model}NotificationChannel({L(c.Type)}, {Array("NamedValue", c.Settings, Named)}, s)");
        if (n.OnCompletion) p.Add("OnCompletion = true");
        if (n.OnFailure) p.Add("OnFailure = true");
        if (n.OnSuccess) p.Add("OnSuccess = true");
        if (n.Timeout is { } timeout) p.Add($"Timeout = {LocatedInt(timeout)}");
        if (n.Attempts is { } attempts) p.Add($"Attempts = {LocatedInt(attempts)}");
        if (n.RetryDelay is { } delay) p.Add($"RetryDelay = {LocatedInt(delay)}");
        Opt(p, "Link", n.Link);
        if (n.Alerts is { } a)
        {
            var ap = new List<string> { "Span = s" };
            List(ap, "Channels", null, a.Channels, L);
            ap.Add($"Failed = {Bool(a.Failed)}");
            ap.Add($"FailureRate = {Bool(a.FailureRate)}");
            ap.Add($"FailureRateThreshold = {Double(a.FailureRateThreshold)}");
            ap.Add($"FailureRateWindowSeconds = {Int(a.FailureRateWindowSeconds)}");
            ap.Add($"FailureRateMinRuns = {Int(a.FailureRateMinRuns)}");
            ap.Add($"Duration = {Bool(a.Duration)}");
            ap.Add($"DurationFactor = {Double(a.DurationFactor)}");
            ap.Add($"DurationMinRuns = {Int(a.DurationMinRuns)}");
            ap.Add($"TaskFailures = {Bool(a.TaskFailures)}");
            ap.Add($"TaskFailuresInARow = {Int(a.TaskFailuresInARow)}");
            ap.Add($"ThrottleSeconds = {Int(a.ThrottleSeconds)}");
            p.Add($"Alerts = {Init("AlertSettings", ap, "                ")}");
        }
        return Init("NotificationSettings", p, "            ");
    }

    private static string Task(TaskDefinition t)
    {
        var p = new List<string> { $"Id = {L(t.Id)}" };
        Opt(p, "Name", t.Name);
        List(p, "DependsOn", "TaskRef", t.DependsOn, Ref);
        if (t.Timeout is { } timeout) p.Add($"Timeout = {LocatedInt(timeout)}");
        if (t.Retry is { } r)
            p.Add($"Retry = new {Model}RetryPolicy({Int(r.Attempts)}, {Int(r.DelayMs)}, {Model}Backoff.{r.Backoff}, {(r.MaxDelayMs is { } max ? Int(max) : "null")}, s)");
        List(p, "OnSuccess", "TaskRef", t.OnSuccess, Ref);
        List(p, "OnFailure", "TaskRef", t.OnFailure, Ref);
        Opt(p, "Condition", t.Condition);
        if (t.ContinueOnError) p.Add("ContinueOnError = true");
        List(p, "Env", "NamedValue", t.Env, Named);
        Opt(p, "Cwd", t.Cwd);
        if (t.Notifications is { } notifications) p.Add($"Notifications = {Notifications(notifications)}");
        List(p, "Outputs", "OutputDeclaration", t.Outputs, o => $"new {Model}OutputDeclaration({L(o.Name)}, {Str(o.Description)})");
        if (!t.Resumable) p.Add("Resumable = false");
        List(p, "Inputs", null, t.Inputs, L);
        List(p, "Generates", null, t.Generates, L);
        if (t.Cache is { } cache) p.Add($"Cache = new {Model}TaskCacheSettings({Bool(cache.Enabled)}, {Array(null, cache.Env, L)}, s)");
        if (t.CanonicalJson is not null) p.Add($"CanonicalJson = {Str(t.CanonicalJson)}");
        if (t.Owner is not null) p.Add($"Owner = {Str(t.Owner)}");
        p.Add("Span = s");
        p.Add("TypeSpan = s");

        switch (t)
        {
            case ShellTask shell:
                p.Add($"Command = {L(shell.Command)}");
                Opt(p, "Shell", shell.Shell);
                if (shell.LiveOutput) p.Add("LiveOutput = true");
                return Init("ShellTask", p);
            case HttpTask http:
                p.Add($"Url = {L(http.Url)}");
                p.Add($"Method = {Str(http.Method)}");
                List(p, "Headers", "NamedValue", http.Headers, Named);
                Opt(p, "Body", http.Body);
                if (http.BodyIsJson) p.Add("BodyIsJson = true");
                if (http.Auth is { } a)
                    p.Add($"Auth = new {Model}HttpAuth({Model}HttpAuthKind.{a.Kind}, {OptL(a.Token)}, {OptL(a.Username)}, {OptL(a.Password)}, s)");
                if (http.ExpectStatus.Count > 0) p.Add($"ExpectStatus = new int[] {{ {string.Join(", ", http.ExpectStatus.Select(Int))} }}");
                if (!http.FollowRedirects) p.Add("FollowRedirects = false");
                return Init("HttpTask", p);
            case DockerTask docker:
                Opt(p, "Image", docker.Image);
                if (docker.Build is { } b)
                {
                    var bp = new List<string> { $"Context = {L(b.Context)}", "Span = s" };
                    Opt(bp, "Dockerfile", b.Dockerfile);
                    List(bp, "Args", "NamedValue", b.Args, Named);
                    Opt(bp, "Tag", b.Tag);
                    p.Add($"Build = {Init("DockerBuild", bp, "                ")}");
                }
                Opt(p, "Command", docker.Command);
                List(p, "Args", null, docker.Args, L);
                if (docker.Entrypoint is { } entrypoint) p.Add($"Entrypoint = {Array(null, entrypoint, L)}");
                List(p, "Volumes", null, docker.Volumes, L);
                Opt(p, "Workdir", docker.Workdir);
                Opt(p, "User", docker.User);
                Opt(p, "Network", docker.Network);
                if (docker.Memory is { } memory) p.Add($"Memory = new {Model}Located<long>({memory.Value.ToString(CultureInfo.InvariantCulture)}L, s)");
                if (docker.Cpus is { } cpus) p.Add($"Cpus = new {Model}Located<double>({Double(cpus.Value)}, s)");
                p.Add($"Pull = {Str(docker.Pull)}");
                if (docker.Keep) p.Add("Keep = true");
                if (docker.CleanupImages) p.Add("CleanupImages = true");
                return Init("DockerTask", p);
            case ScriptTask script:
                Opt(p, "Script", script.Script);
                Opt(p, "File", script.File);
                List(p, "Args", null, script.Args, L);
                return Init(script is PythonTask ? "PythonTask" : "JavaScriptTask", p);
            case ConditionalTask conditional:
                List(p, "Then", "TaskRef", conditional.Then, Ref);
                List(p, "Else", "TaskRef", conditional.Else, Ref);
                return Init("ConditionalTask", p);
            case ParallelTask parallel:
                List(p, "Tasks", "TaskRef", parallel.Tasks, Ref);
                p.Add($"WaitFor = {Model}WaitFor.{parallel.WaitFor}");
                return Init("ParallelTask", p);
            case LoopTask loop:
                if (loop.Items is { } items) p.Add($"Items = {Array("global::Pipeline.Core.Expressions.ExprValue", items, Value, qualified: true)}");
                Opt(p, "ItemsExpression", loop.ItemsExpression);
                p.Add("ItemsSpan = s");
                p.Add($"Template = {Ref(loop.Template)}");
                p.Add($"Parallelism = {Int(loop.Parallelism)}");
                if (!loop.StopOnFailure) p.Add("StopOnFailure = false");
                return Init("LoopTask", p);
            case SqlTask sql:
                p.Add($"Connection = {L(sql.Connection)}");
                Opt(p, "Provider", sql.Provider);
                Opt(p, "Query", sql.Query);
                Opt(p, "File", sql.File);
                List(p, "Parameters", "NamedValue", sql.Parameters, Named);
                if (sql.Transaction) p.Add("Transaction = true");
                Opt(p, "Migrations", sql.Migrations);
                if (sql.AllowChanged) p.Add("AllowChanged = true");
                return Init("SqlTask", p);
            default:
                // A new task type must be taught here; the round-trip test over every type catches a gap.
                throw new NotSupportedException($"task type {t.GetType().Name} cannot be written as C#");
        }
    }

    private static string Trigger(TriggerDefinition t) => t switch
    {
        ManualTrigger => $"new {Model}ManualTrigger(s)",
        ScheduleTrigger s => $"new {Model}ScheduleTrigger({L(s.Schedule)}, {OptL(s.Timezone)}, s) {{ Misfire = {Model}MisfirePolicy.{s.Misfire}, JitterMs = {Int(s.JitterMs)} }}",
        WebhookTrigger w => $"new {Model}WebhookTrigger({OptL(w.Path)}, {OptL(w.Url)}, {OptL(w.Secret)}, {OptL(w.Method)}, s)",
        FileChangeTrigger f => $"new {Model}FileChangeTrigger({Array(null, f.Paths, L)}, {Int(f.DebounceMs)}, {Array(null, f.Events, L)}, s) {{ Ignore = {Array(null, f.Ignore, L)}, PollMs = {(f.PollMs is { } poll ? Int(poll) : "null")} }}",
        _ => throw new NotSupportedException($"trigger {t.GetType().Name} cannot be written as C#"),
    };

    private static string Value(ExprValue v) => v.Kind switch
    {
        ExprKind.Null => "global::Pipeline.Core.Expressions.ExprValue.Null",
        ExprKind.Boolean => $"global::Pipeline.Core.Expressions.ExprValue.Bool({Bool(v.AsBoolean)})",
        ExprKind.Number => $"global::Pipeline.Core.Expressions.ExprValue.Number({Double(v.AsNumber)})",
        ExprKind.String => $"global::Pipeline.Core.Expressions.ExprValue.String({Str(v.AsString)})",
        ExprKind.Array => $"global::Pipeline.Core.Expressions.ExprValue.Array({Array("global::Pipeline.Core.Expressions.ExprValue", v.AsArray, Value, qualified: true)})",
        _ => "global::Pipeline.Core.Expressions.ExprValue.Object(" + Array("global::System.Collections.Generic.KeyValuePair<string, global::Pipeline.Core.Expressions.ExprValue>", v.AsObject,
            e => $"new global::System.Collections.Generic.KeyValuePair<string, global::Pipeline.Core.Expressions.ExprValue>({Str(e.Key)}, {Value(e.Value)})", qualified: true) + ")",
    };

    private static string Named(NamedValue n) => $"new {Model}NamedValue({L(n.Name)}, {L(n.Value)})";

    private static string Ref(TaskRef r) => $"R({Str(r.Id)})";

    private static string L(LocatedString s) => $"L({Str(s.Value)})";

    private static string OptL(LocatedString? s) => s is null ? "null" : L(s);

    private static string LocatedInt(Located<int> v) => $"new {Model}Located<int>({Int(v.Value)}, s)";

    private static string Str(string? s) => s is null ? "null" : SymbolDisplay.FormatLiteral(s, quote: true);

    private static string Int(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Double(double d) => d.ToString("R", CultureInfo.InvariantCulture) + "d";

    private static string Bool(bool b) => b ? "true" : "false";

    private static void Opt(List<string> properties, string name, LocatedString? value)
    {
        if (value is not null) properties.Add($"{name} = {L(value)}");
    }

    /// <param name="type">The element type in Pipeline.Core.Model; null for located strings.</param>
    private static void List<T>(List<string> properties, string name, string? type, IReadOnlyList<T> items, Func<T, string> write)
    {
        if (items.Count > 0) properties.Add($"{name} = {Array(type, items, write)}");
    }

    private static string Array<T>(string? type, IReadOnlyList<T> items, Func<T, string> write, bool qualified = false)
    {
        var element = type is null ? "global::Pipeline.Core.Text.LocatedString" : qualified ? type : Model + type;
        return items.Count == 0
            ? $"global::System.Array.Empty<{element}>()"
            : $"new {element}[] {{ {string.Join(", ", items.Select(write))} }}";
    }

    private static string Init(string type, List<string> properties, string indent = "            ") =>
        $"new {Model}{type}\n{indent}{{\n{string.Join(",\n", properties.Select(p => indent + "    " + p))},\n{indent}}}";
}
