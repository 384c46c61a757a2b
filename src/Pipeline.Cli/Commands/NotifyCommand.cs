using System.CommandLine;
using Pipeline.Cli.Running;
using Pipeline.Core.Model;
using Pipeline.Notifications;
using Pipeline.Notifications.Messages;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow notify test &lt;workflow&gt; [--channel slack]</c>: a test message on the workflow's channels.</summary>
public static class NotifyCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "The workflow (file or name) whose channels to try", Arity = ArgumentArity.ZeroOrOne };
        workflow.CompletionSources.Add(Completions.Workflows);
        var channel = new Option<string?>("--channel") { Description = "Only this channel: slack, email, webhook or console" };
        channel.AcceptOnlyFromAmong([.. NotificationChannel.KnownTypes]);
        var test = new Command("test", """
            Sends a test message on each channel of the workflow's notifications (or the one named),
            with the same settings, secrets and retries a run's notifications use, and says how each
            delivery went. Nothing is recorded. Secrets the settings read (${secrets.X}) come from
            the environment, as for a run.

            Examples:
              workflow notify test deploy
              workflow notify test deploy --channel slack

            Exit codes: 0 every message delivered, 1 one failed, 2 bad arguments or no such channel.
            """)
        {
            workflow, channel,
        };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var error = Console.Error;
            var definition = WorkflowInput.Load(parse.GetValue(workflow), parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.Verbose), error);
            if (definition is null) return ExitCodes.InvalidInput;
            var only = parse.GetValue(channel);
            var channels = definition.Notifications?.Channels.Select(c => c.Type.Value).ToList() ?? [];
            if (channels.Count == 0 || (only is not null && !channels.Contains(only)))
            {
                error.WriteLine(only is null
                    ? $"workflow: {definition.Name.Value} has no notification channels; add \"notifications\": {{ \"channels\": [\"slack\"], \"on_failure\": true }}"
                    : $"workflow: {definition.Name.Value} has no {only} channel (its channels: {(channels.Count == 0 ? "none" : string.Join(", ", channels))})");
                return ExitCodes.InvalidInput;
            }
            var secrets = SecretResolver.Resolve(definition, error);
            if (secrets is null) return ExitCodes.InvalidInput;
            var (declared, masked) = SecretResolver.Split(secrets);
            var notifier = new RunNotifier(RunNotifications.Options(parse.GetValue(GlobalOptions.Config), Console.Out));
            var outcomes = await notifier.TestAsync(new RunScope { Workflow = definition, Secrets = declared, MaskedValues = masked, Trigger = "test" }, only, cancellationToken);
            foreach (var o in outcomes)
                Console.Out.WriteLine(o.Delivered
                    ? $"{o.Channel}: delivered in {Engine.Running.DurationText.Format(o.Took)}{(o.Attempts > 1 ? $" (attempt {o.Attempts})" : "")}"
                    : $"{o.Channel}: {o.Status} after {o.Attempts} attempt(s): {o.Error}");
            return outcomes.All(o => o.Delivered) ? ExitCodes.Success : ExitCodes.WorkflowFailed;
        });
        return new Command("notify", "Work with a workflow's notifications: notify test sends a test message.") { test };
    }
}
