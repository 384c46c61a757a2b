using System.CommandLine;
using Pipeline.Server.Hosting;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow serve</c>: the long-running side (webhooks, health endpoints); the host lives in Pipeline.Server.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "The directory whose workflows are served (default: the current one)", DefaultValueFactory = _ => "." };
        var urls = new Option<string>("--urls") { Description = "Where to listen (default http://127.0.0.1:8080: this machine only; give an address to expose it)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded, relative to --dir", DefaultValueFactory = _ => ".workflow" };
        var drain = new Option<string>("--drain-timeout") { Description = "On SIGTERM or Ctrl-C, how long running workflows get to finish before they are stopped: 30s, 5m (default 5m)", DefaultValueFactory = _ => "5m" };
        var command = new Command("serve", """
            Serve the workflows under a directory: their webhooks, and health endpoints.

              POST /hooks/<path>      a workflow's webhook trigger ("trigger": { "type": "webhook",
                                      "config": { "path": "/hooks/deploy", "secret": "HOOK_SECRET" } }):
                                      GitHub's X-Hub-Signature-256 with the secret in HOOK_SECRET;
                                      202 { execution_id, status_url }, 401, 404, 413 (over 1 MiB), 400 (not JSON)
              GET  /executions/<id>   the run, as workflow status --format json prints it
              GET  /healthz           alive
              GET  /readyz            the state store answers

            Runs are recorded like any other (trigger webhook), so history, status and monitor show them.
            Edited workflow files take effect without a restart; an edit with errors keeps the last good version.
            SIGTERM or Ctrl-C: no new runs; running ones get --drain-timeout, then stop as on Ctrl-C.
            Not yet: schedules and file-change triggers inside serve (use workflow schedule install),
            concurrency policies other than allow (such workflows are left out, with the reason).

            Example:
              HOOK_SECRET=... workflow serve --dir . --urls http://127.0.0.1:8080
            """)
        {
            dir, urls, stateDir, drain,
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
            }, Console.Out);
        });
        return command;
    }
}
