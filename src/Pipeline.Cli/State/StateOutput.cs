using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>Plain-text tables for history and status: aligned columns, readable in a terminal and in CI logs.</summary>
internal static class StateText
{
    public static void Table(TextWriter o, string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        o.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var r in all) o.WriteLine(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }

    public static void Detail(TextWriter o, ExecutionDetail d)
    {
        var e = d.Execution;
        o.WriteLine($"{e.Id}  {e.Workflow}  {e.Status}");
        o.WriteLine($"  started {Time(e.StartedAt)} UTC{(e.FinishedAt is { } f ? $", finished {Time(f)} UTC ({Duration(e.Duration)})" : ", not finished")}");
        if (e.File is not null) o.WriteLine($"  file {e.File}{(e.ContentHash is null ? "" : $" ({StateLocation.HashAlgorithm(e.ContentHash)} {e.ContentHash[..12]}…)")}");
        o.WriteLine($"  trigger {e.Trigger}{(e.Parameters is null ? "" : $", parameters {e.Parameters}")}");
        if (e.Error is not null) o.WriteLine($"  error: {e.Error}");
        o.WriteLine();
        Table(o, ["TASK", "STATUS", "ATTEMPTS", "DURATION", "EXIT", "LOG"],
            d.Tasks.Select(t => new[] { t.InstanceId, t.Status, t.Attempts.ToString(CultureInfo.InvariantCulture), Duration(t.Duration), t.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", t.StderrLog ?? t.StdoutLog ?? "" }));
        foreach (var t in d.Tasks.Where(t => t.Error is not null || t.Reason is not null))
        {
            o.WriteLine();
            o.WriteLine($"{t.InstanceId}: {t.Error ?? t.Reason}");
            foreach (var a in d.Attempts.Where(a => a.InstanceId == t.InstanceId && a.Error is not null))
                o.WriteLine($"  attempt {a.Number} {a.Status}: {a.Error}");
            if (t.OutputExcerpt is { } excerpt && t.Error is not null)
                foreach (var line in excerpt.Split('\n').TakeLast(5)) o.WriteLine($"  | {line}");
        }
        if (d.Deliveries.Count == 0) return;
        o.WriteLine();
        Table(o, ["NOTIFICATION", "EVENT", "STATUS", "ATTEMPTS", "SENT (UTC)", "ERROR"],
            d.Deliveries.Select(n => new[] { n.Channel, n.Event, n.Status, n.Attempts.ToString(CultureInfo.InvariantCulture), Time(n.SentAt), n.Error ?? "" }));
    }

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? d) => d is { } span ? DurationText.Format(span) : "";

    public static string Short(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..(max - 1)] + "…";
}
