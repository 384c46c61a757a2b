using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Server.Files;
using Pipeline.Server.Runs;
using Pipeline.Server.Schedules;
using Pipeline.Server.Webhooks;
using Pipeline.State;

namespace Pipeline.Server.Hosting;

/// <summary>How `workflow serve` runs.</summary>
public sealed record ServeOptions
{
    public string Directory { get; init; } = ".";
    public string Urls { get; init; } = "http://127.0.0.1:8080";
    public string StateDirectory { get; init; } = StateLocation.DefaultDirectory;
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);
    public long BodyLimit { get; init; } = WebhookEndpoints.DefaultBodyLimit;

    /// <summary><c>text</c> (one line per entry) or <c>json</c> (one JSON object per line).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>How runs' notifications are sent (channel settings from the configuration file, among others).</summary>
    public Pipeline.Notifications.NotifierOptions Notifications { get; init; } = new();
}

/// <summary>
/// `workflow serve`: one Kestrel server (on 127.0.0.1 unless told otherwise) with the webhooks of the
/// workflows under the directory, <c>GET /healthz</c> (alive), <c>GET /readyz</c> (the state store
/// answers and the schedules are loaded) and <c>GET /executions/&lt;id&gt;</c> (the JSON of
/// <c>workflow status --format json</c>); and the scheduler that runs their schedule triggers
/// (<see cref="WorkflowScheduler"/>, its schedule kept in the state store's database).
/// SIGTERM or Ctrl-C stops accepting work, lets running workflows finish for the drain timeout, then
/// stops them as <c>workflow run</c> does; a second signal stops at once.
/// </summary>
public static class ServeHost
{
    /// <summary>The exit code when the address cannot be bound (in use, or not this machine's): the user's to fix, as bad arguments are.</summary>
    public const int BindFailed = 2;

    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellationToken = default)
    {
        // Signals are taken from the first moment, so a SIGTERM while starting up (the scheduler may
        // already be starting runs) stops gracefully too. The first signal drains, the second stops at once.
        using var now = new CancellationTokenSource();
        var stopping = new TaskCompletionSource();
        void OnSignal(System.Runtime.InteropServices.PosixSignalContext c)
        {
            c.Cancel = true;
            if (!stopping.TrySetResult()) now.Cancel();
        }
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
        using var external = cancellationToken.Register(() => stopping.TrySetResult());

        var directory = Path.GetFullPath(options.Directory);
        var stateDirectory = Path.GetFullPath(Path.Combine(directory, options.StateDirectory));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        // Under systemd: Type=notify readiness (READY=1 once serving), STOPPING=1, and the journal's
        // log format (with priorities) unless JSON is asked for.
        builder.Services.AddSystemd();
        if (!Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService()) builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Logging.ClearProviders();
        if (options.LogFormat == "json")
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        else if (Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
            builder.Logging.AddConsole();
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning)
            // Its "Hosting failed to start" (with a stack trace) is said in one line below.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromMinutes(1));
        await using var app = builder.Build();
        var log = new ServeLog(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("workflow.serve"));

        var catalog = WorkflowCatalog.Load(directory, log, stateDirectory: stateDirectory);
        var catalogLock = new object();
        RelationalStateStore? store = null;
        try { store = StateLocation.Open(stateDirectory); }
        catch (StateStoreException e) { log.Line($"warning: {e.Message}; runs are not recorded and /readyz answers 503"); }
        var claims = new TriggerClaims(store, TimeProvider.System, TriggerClaims.DefaultWindow);
        var starter = new WorkflowRunStarter(() => Volatile.Read(ref catalog), store, stateDirectory, options.GracePeriod, claims)
        {
            Log = log,
            Notifier = new Pipeline.Notifications.RunNotifier(options.Notifications),
        };
        WorkflowScheduler? scheduler = null;
        var schedulesLoaded = false;
        if (store is not null)
        {
            try
            {
                var database = StateLocation.Database(stateDirectory);
                scheduler = await WorkflowScheduler.StartAsync(new ScheduleStore(database.Postgres, database.ConnectionString),
                    new ScheduleRunner(starter, TimeProvider.System, log), TimeProvider.System, cancellationToken: cancellationToken).ConfigureAwait(false);
                await ApplySchedulesAsync(scheduler, catalog, log).ConfigureAwait(false);
                schedulesLoaded = true;
            }
            catch (Exception e) when (e is Quartz.SchedulerException or System.Data.Common.DbException or InvalidOperationException)
            {
                log.Line($"warning: the scheduler cannot start on {store.Location}: {e.Message}; schedule triggers do not run and /readyz answers 503");
            }
        }

        // Whatever escapes from here on, the scheduler's threads must not outlive it: they would keep the process running.
        try
        {
            app.MapGet("/healthz", () => Results.Text("ok\n"));
            app.MapGet("/readyz", () =>
            {
                try
                {
                    if (store is null || store.SchemaVersion == 0) return Results.Text("no state store\n", statusCode: 503);
                    return Volatile.Read(ref schedulesLoaded) ? Results.Text("ready\n") : Results.Text("schedules not loaded\n", statusCode: 503);
                }
                catch (StateStoreException e) { return Results.Text(e.Message + "\n", statusCode: 503); }
            });
            app.MapGet("/executions/{id}", (string id) =>
            {
                var detail = store?.Find(id);
                return detail is null
                    ? Webhooks.WebhookEndpoints.Json(new Dictionary<string, object?> { ["error"] = $"no execution {id}" }, 404)
                    : Results.Text(StateJson.Write(detail), "application/json");
            });
            app.MapWebhooks(path => Volatile.Read(ref catalog).Routes.GetValueOrDefault(path), starter, options.BodyLimit);

            using var fileTriggers = new FileTriggers(starter, log);
            fileTriggers.Apply(catalog.FileWatches);

            // An edited, added or removed workflow file takes effect without a restart; a file that now
            // has errors keeps its last good version (and its errors are logged). The files are compared
            // every second rather than watched for events: a recursive watch would also wake for every
            // report and log the runs write under the state directory.
            using var definitions = new FileChangeWatch(new FileWatchEntry("(workflow files)", 0, directory, ["**/*.workflow.json"],
                [.. FileWatchEntry.IgnoredUnder(directory, stateDirectory), "**/.task/**"],
                TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), new HashSet<FileChangeKind> { FileChangeKind.Added, FileChangeKind.Changed, FileChangeKind.Deleted }),
                _ =>
                {
                    lock (catalogLock)
                    {
                        var reloaded = WorkflowCatalog.Load(directory, log.Line, Volatile.Read(ref catalog), stateDirectory);
                        Volatile.Write(ref catalog, reloaded);
                        log.Line($"reloaded: {reloaded.Workflows.Count} workflow(s), hooks: {string.Join(", ", reloaded.Routes.Keys.Order(StringComparer.Ordinal).Select(p => "/hooks/" + p))}");
                        if (scheduler is not null) ApplySchedulesAsync(scheduler, reloaded, log).GetAwaiter().GetResult();
                        fileTriggers.Apply(reloaded.FileWatches);
                    }
                    return Task.CompletedTask;
                }, log);

            try { await app.StartAsync(cancellationToken).ConfigureAwait(false); }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
            {
                // A user's mistake, not a crash: say which address, stop what already started, exit 2.
                log.Line($"error: cannot listen on {options.Urls}: {e.Message.TrimEnd('.')}; stop what holds it, or choose another address with --urls");
                if (scheduler is not null) await scheduler.DisposeAsync().ConfigureAwait(false);
                fileTriggers.Dispose();
                await starter.DrainAsync(TimeSpan.Zero, now.Token).ConfigureAwait(false);
                store?.Dispose();
                return BindFailed;
            }
            log.Line($"serving {catalog.Workflows.Count} workflow(s) from {directory} on {string.Join(", ", app.Urls)}");
            foreach (var route in catalog.Routes.Values.OrderBy(r => r.Path, StringComparer.Ordinal))
                log.Line($"  POST /hooks/{route.Path} → {route.Workflow}{(route.SecretVariable is null ? " (no secret: anyone who can reach it can start it)" : "")}");

            await stopping.Task.ConfigureAwait(false);

            log.Line($"stopping: no new runs; {starter.Running} running get up to {options.DrainTimeout.TotalSeconds:0}s to finish (signal again to stop them now)");
            if (scheduler is not null) await scheduler.DisposeAsync().ConfigureAwait(false);
            fileTriggers.Dispose();
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await starter.DrainAsync(options.DrainTimeout, now.Token).ConfigureAwait(false);
            store?.Dispose();
            log.Line("stopped");
            return 0;
        }
        finally
        {
            if (scheduler is not null) await scheduler.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Brings the scheduler in line with the catalog, and says what each schedule does next.</summary>
    private static async Task ApplySchedulesAsync(WorkflowScheduler scheduler, WorkflowCatalog catalog, ServeLog log)
    {
        var changes = await scheduler.ApplyAsync(catalog.Schedules).ConfigureAwait(false);
        var next = await scheduler.NextFireTimesAsync().ConfigureAwait(false);
        log.Line($"schedules: {catalog.Schedules.Count} ({changes.Added} added, {changes.Replaced} changed, {changes.Removed} removed, {changes.Kept} kept as stored)");
        foreach (var entry in catalog.Schedules)
            log.Line($"  {entry.Cron} ({entry.TimeZone.Id}) → {entry.Workflow}, next {(next.GetValueOrDefault(entry.Key) is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC" : "never")}");
    }
}
