using Pipeline.Notifications.Messages;

namespace Pipeline.Notifications.Channels;

/// <summary>The message's summary on the runner's error stream (for local runs and CI logs).</summary>
internal sealed class ConsoleChannel(TextWriter output) : INotificationChannel
{
    public string Type => "console";

    public string Endpoint(ChannelSettings settings) => "the console";

    public Task SendAsync(Message message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        lock (output) output.WriteLine($"notification: {message.Text}");
        return Task.CompletedTask;
    }
}
