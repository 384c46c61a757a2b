using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Core.Scheduling;
using Pipeline.Core.Text;

namespace Pipeline.Core.Validation;

/// <summary>Values that must make sense on their own: unique ids, timeouts, URLs, connection strings, cron.</summary>
internal static class ValueRules
{
    /// <summary>Timeouts above this are allowed but reported: a day-long task is usually a forgotten unit (ms for s).</summary>
    public const int ReasonableTimeoutSeconds = 24 * 60 * 60;

    // semver.org's pattern: MAJOR.MINOR.PATCH, an optional -pre-release and +build.
    private static readonly System.Text.RegularExpressions.Regex SemanticVersion = new(
        @"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string SuggestVersion(string version)
    {
        var numbers = System.Text.RegularExpressions.Regex.Matches(version, @"\d+").Cast<System.Text.RegularExpressions.Match>().Select(m => m.Value.TrimStart('0') is { Length: > 0 } n ? n : "0").Take(3).ToList();
        while (numbers.Count < 3) numbers.Add(numbers.Count == 0 ? "1" : "0");
        return string.Join(".", numbers);
    }

    public static void Check(ValidationContext ctx)
    {
        var bag = ctx.Diagnostics;
        var w = ctx.Workflow;

        if (w.Name.Value.Trim().Length == 0 || w.Name.Value.Length > 100 || w.Name.Value.Any(char.IsControl))
            bag.Report(Descriptors.InvalidName, w.Name.Span, $"workflow name \"{w.Name.Value}\" is not usable", "use 1 to 100 printable characters, e.g. \"deploy-app\"");
        // The seed's naming rules (§3), for workflow files (a Taskfile's name comes from its folder).
        else if (w.Format == WorkflowFormat.WorkflowJson && !WorkflowNames.IsKebabCase(w.Name.Value))
            bag.Report(Descriptors.NameNotKebabCase, w.Name.Span, $"workflow name \"{w.Name.Value}\" is not kebab-case", $"write \"{WorkflowNames.ToKebabCase(w.Name.Value)}\" (lowercase words joined by -)");
        if (w.Format == WorkflowFormat.WorkflowJson && w.Version is { } version && !SemanticVersion.IsMatch(version.Value))
            bag.Report(Descriptors.VersionNotSemantic, version.Span, $"version \"{version.Value}\" is not a semantic version", $"write MAJOR.MINOR.PATCH, e.g. \"{SuggestVersion(version.Value)}\"");

        var first = new Dictionary<string, TaskDefinition>(StringComparer.Ordinal);
        foreach (var task in w.Tasks)
        {
            if (first.TryGetValue(task.Id.Value, out var original))
                bag.Report(Descriptors.DuplicateTaskId, task.Id.Span, $"task id '{task.Id.Value}' is already used at line {original.Id.Span.Line}",
                    "give each task its own id");
            else first.Add(task.Id.Value, task);

            if (task.Timeout is { } timeout)
            {
                if (timeout.Value <= 0)
                    bag.Report(Descriptors.InvalidTimeout, timeout.Span, $"timeout of task '{task.Id.Value}' must be positive, not {timeout.Value}",
                        "write the limit in seconds, e.g. 300, or remove timeout for no limit");
                else if (timeout.Value > ReasonableTimeoutSeconds)
                    bag.Report(Descriptors.LongTimeout, timeout.Span, $"timeout of task '{task.Id.Value}' is {timeout.Value} s ({timeout.Value / 3600.0:0.#} hours)",
                        "timeouts are in seconds, not milliseconds; write \"24h\" if you really mean a day or more");
            }

            switch (task)
            {
                case HttpTask http:
                    CheckUrl(bag, http.Url, $"url of task '{task.Id.Value}'");
                    break;
                case SqlTask sql:
                    CheckConnectionString(bag, sql);
                    break;
            }
        }

        foreach (var trigger in w.Triggers)
        {
            switch (trigger)
            {
                case ScheduleTrigger schedule:
                    if (CronSchedule.TryParse(schedule.Schedule.Value, out var error) is null)
                        bag.Report(Descriptors.InvalidCron, schedule.Schedule.Span, $"invalid cron expression \"{schedule.Schedule.Value}\": {error}",
                            "5 fields: minute hour day-of-month month day-of-week, e.g. \"0 2 * * 1-5\" (02:00 on weekdays); 6 fields put seconds first");
                    if (schedule.Timezone is { } tz && !IsTimeZone(tz.Value))
                        bag.Report(Descriptors.InvalidTrigger, tz.Span, $"unknown time zone \"{tz.Value}\"", "use an IANA name such as \"Europe/Paris\" or \"UTC\"");
                    break;
                case WebhookTrigger webhook:
                    if (webhook.Url is { } url) CheckUrl(bag, url, "webhook url");
                    if (webhook.Path is { } path && !path.Value.StartsWith("/", StringComparison.Ordinal))
                        bag.Report(Descriptors.InvalidUrl, path.Span, $"webhook path \"{path.Value}\" must start with /", $"write \"/{path.Value}\"");
                    if (webhook.Secret is { } secret && !w.Secrets.Any(s => s.Name.Value == secret.Value))
                        bag.Report(Descriptors.InvalidTrigger, secret.Span, $"webhook secret \"{secret.Value}\" is not declared in \"secrets\"",
                            "name a secret declared in the workflow's secrets; its value signs the requests (X-Hub-Signature-256)");
                    break;
            }
        }

        foreach (var settings in new[] { w.Notifications }.Concat(w.Tasks.Select(t => t.Notifications)))
            foreach (var channel in settings?.Channels ?? Array.Empty<NotificationChannel>())
                foreach (var setting in channel.Settings.Where(s => s.Name.Value is "url" or "webhook_url"))
                    CheckUrl(bag, setting.Value, $"{setting.Name.Value} of the {channel.Type.Value} channel");
        if (w.Notifications?.Alerts is { } alerts)
            foreach (var name in alerts.Channels.Where(c => !NotificationChannel.KnownTypes.Contains(c.Value)))
                bag.Report(Descriptors.InvalidValue, name.Span, $"unknown alert channel \"{name.Value}\"", $"channels are {string.Join(", ", NotificationChannel.KnownTypes)}");
    }

    private static bool IsTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception)
        {
            // The generator's host may lack time zone data; only a name that cannot be an IANA id is wrong.
            return id == "UTC" || (id.Contains("/") && !id.Contains(" "));
        }
    }

    /// <summary>
    /// An absolute http(s) URL with a host. A URL built by ${...} is checked only as far as its literal
    /// start goes (the scheme); the rest is known at run time.
    /// </summary>
    internal static void CheckUrl(DiagnosticBag bag, LocatedString value, string what)
    {
        var text = value.Value.Trim();
        var interpolated = InterpolatedString.Parse(value.Value);
        if (interpolated.HasExpressions)
        {
            if (interpolated.Segments[0] is not TextSegment literal) return;
            var schemeEnd = literal.Text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0) return;
            text = literal.Text.Substring(0, schemeEnd + 3) + "host";
        }
        if (text.Length == 0)
        {
            bag.Report(Descriptors.InvalidUrl, value.Span, $"{what} is empty", "write an absolute URL such as https://example.com/api");
            return;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
        {
            var hint = text.StartsWith("www.", StringComparison.OrdinalIgnoreCase) || !text.Contains("://")
                ? $"add the scheme: https://{text}"
                : "write an absolute http:// or https:// URL, e.g. https://example.com/api";
            bag.Report(Descriptors.InvalidUrl, value.Span, $"{what} \"{value.Value}\" is not a valid http(s) URL", hint);
        }
    }

    private static readonly string[] PostgresKeys =
    {
        "host", "server", "port", "database", "db", "username", "user id", "userid", "user", "password", "pwd", "ssl mode", "sslmode",
        "timeout", "command timeout", "pooling", "minimum pool size", "maximum pool size", "trust server certificate", "application name",
        "search path", "include error detail", "keepalive", "options", "connection idle lifetime", "multiplexing", "target session attributes",
    };

    private static readonly string[] SqliteKeys = { "data source", "datasource", "filename", "mode", "cache", "password", "foreign keys", "recursive triggers", "default timeout", "pooling" };

    /// <summary>
    /// A URI (postgres://user@host/db, sqlite:path) or key=value pairs separated by ';'. A value that is
    /// wholly ${...} (usually a secret) is known only at run time and not checked.
    /// </summary>
    private static void CheckConnectionString(DiagnosticBag bag, SqlTask sql)
    {
        var value = sql.Connection;
        var text = value.Value.Trim();
        var interpolated = InterpolatedString.Parse(value.Value);
        if (interpolated.HasExpressions && interpolated.Segments.Count == 1) return;
        string? problem = null;
        if (text.Length == 0) problem = "it is empty";
        else if (text.Contains("://"))
        {
            if (!interpolated.HasExpressions &&
                (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !(uri.Scheme is "postgres" or "postgresql" or "sqlite")))
                problem = "URLs must start with postgres://, postgresql:// or sqlite://";
        }
        else
        {
            var provider = sql.Provider?.Value;
            var keys = new List<string>();
            foreach (var part in text.Split(';'))
            {
                if (part.Trim().Length == 0) continue;
                var eq = part.IndexOf('=');
                if (eq <= 0) { problem = $"\"{part.Trim()}\" is not a key=value pair"; break; }
                keys.Add(part.Substring(0, eq).Trim());
            }
            if (problem is null)
            {
                var lower = keys.Select(k => k.ToLowerInvariant()).ToList();
                var isSqlite = provider == "sqlite" || (provider is null && lower.Any(k => k is "data source" or "datasource" or "filename"));
                var known = isSqlite ? SqliteKeys : PostgresKeys;
                var unknown = keys.FirstOrDefault(k => !known.Contains(k.ToLowerInvariant()));
                if (unknown is not null) problem = $"\"{unknown}\" is not a {(isSqlite ? "SQLite" : "PostgreSQL")} connection setting";
                else if (isSqlite && !lower.Any(k => k is "data source" or "datasource" or "filename")) problem = "a SQLite connection needs Data Source=<file>";
                else if (!isSqlite && !lower.Any(k => k is "host" or "server")) problem = "a PostgreSQL connection needs Host=<server>";
            }
        }
        if (problem is not null)
            bag.Report(Descriptors.InvalidConnectionString, value.Span, $"connection string of task '{sql.Id.Value}' is not valid: {problem}",
                "e.g. \"Host=localhost;Database=app;Username=app\", \"postgres://app@localhost/app\", \"Data Source=app.db\", or \"${secrets.DATABASE_URL}\"");
    }
}
