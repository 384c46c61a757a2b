using Microsoft.Extensions.Logging;

namespace Pipeline.Server.Hosting;

/// <summary>
/// The server's log lines through Microsoft.Extensions.Logging (text on one line each, or JSON with
/// <c>--log-format json</c>; systemd's journal format under systemd). A line in the canonical
/// diagnostic form (<c>file(line,col): error WF…</c>) is logged as an error, one saying warning as a
/// warning, the rest as information.
/// </summary>
public sealed class ServeLog(ILogger logger)
{
    public void Line(string message)
    {
        var level = message.Contains(": error ", StringComparison.Ordinal) || message.StartsWith("error", StringComparison.Ordinal) ? LogLevel.Error
            : message.Contains("warning", StringComparison.OrdinalIgnoreCase) ? LogLevel.Warning
            : LogLevel.Information;
        logger.Log(level, "{Message}", message);
    }

    public static implicit operator Action<string>(ServeLog log) => log.Line;
}
