using System.CommandLine;
using Pipeline.Cli.Running;
using Pipeline.Server.Hosting;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow serve</c>: the long-running side (webhooks, health endpoints); the host lives in Pipeline.Server.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The directory whose workflows are served (default: the current one)", DefaultValueFactory = _ => "." };
        var urls = new Option<string>("--urls") { Description = "Where to listen (default http://127.0.0.1:8080: this machine only; give an address to expose it)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded, relative to --dir (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var logFormat = new Option<string>("--log-format") { Description = "text (one line per entry) or json (one JSON object per line, for log collectors)", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var drain = new Option<string>("--drain-timeout") { Description = "On SIGTERM or Ctrl-C, how long running workflows get to finish before they are stopped: 30s, 5m (default 5m)", DefaultValueFactory = _ => "5m" };
        var command = new Command("serve", """
            Serve the workflows under a directory: their schedules, webhooks and file-change triggers.

              schedule                a workflow's cron ("0 2 * * *", 6 fields with seconds, @daily), run by
                                      Quartz.NET; the schedule is kept in the state store's database, so a
                                      restart neither loses nor doubles a firing; misfire skip|run_once, jitter
              POST /hooks/<path>      a workflow's webhook trigger ("trigger": { "type": "webhook",
                                      "config": { "path": "/hooks/deploy", "secret": "HOOK_SECRET" } }):
                                      GitHub's X-Hub-Signature-256 with the secret in HOOK_SECRET;
                                      202 { execution_id, status_url }, 401, 404, 413 (over 1 MiB), 400 (not JSON);
                                      a repeated X-GitHub-Delivery / X-Request-Id within 24 h starts nothing
              file_change             files matching the trigger's paths globs change: one run per debounce
                                      window, the files in ${trigger.files}; "poll": "2s" without file events
              GET  /executions/<id>   the run, as workflow status --format json prints it
              GET  /healthz           alive
              GET  /readyz            the state store answers and the schedules are loaded

            Runs are recorded like any other (trigger schedule, webhook or file_change), so history,
            status and monitor show them; the workflow's concurrency policy applies to each, per
            concurrency group. Edited workflow files take effect without a restart; an edit with errors
            keeps the last good version. SIGTERM or Ctrl-C: no new runs; running ones get
            --drain-timeout, then stop as on Ctrl-C (a second signal stops them at once).
            Under systemd (Type=notify) it reports readiness and logs in the journal's format.

            Examples:
              workflow serve
              HOOK_SECRET=... workflow serve --dir . --urls http://127.0.0.1:8080 --log-format json

            Exit codes: 0 stopped by SIGTERM or Ctrl-C after the drain, 2 bad options (a duration, a
            folder) or an address that cannot be listened on (in use).
            """)
        {
            dir, urls, stateDir, drain, logFormat,
        };
        command.SetAction(async (parse, token) =>
        {
            if (!Pipeline.Engine.Taskfile.GoDuration.TryParse(parse.GetValue(drain)!, out var drainTimeout))
            {
                Console.Error.WriteLine($"workflow: --drain-timeout \"{parse.GetValue(drain)}\" is not a duration such as 30s or 5m");
                return ExitCodes.InvalidInput;
            }
            if (!Directory.Exists(parse.GetValue(dir)))
            {
                Console.Error.WriteLine($"workflow: --dir {parse.GetValue(dir)} does not exist");
                return ExitCodes.InvalidInput;
            }
            return await ServeHost.RunAsync(new ServeOptions
            {
                Directory = parse.GetValue(dir)!,
                Urls = parse.GetValue(urls)!,
                StateDirectory = parse.GetValue(stateDir)!,
                DrainTimeout = drainTimeout,
                LogFormat = parse.GetValue(logFormat)!,
                Notifications = RunNotifications.Options(parse.GetValue(GlobalOptions.Config), Console.Error),
            });
        });
        return command;
    }
}
