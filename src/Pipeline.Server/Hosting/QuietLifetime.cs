using Microsoft.Extensions.Hosting;

namespace Pipeline.Server.Hosting;

/// <summary>
/// The host's lifetime without signal handling. <see cref="ServeHost"/> takes SIGTERM and SIGINT itself
/// (drain, then stop). The default ConsoleLifetime would also stop the host on them: a signal during
/// start-up then cancels the web host's start ("A task was canceled") while the scheduler already
/// runs runs. Under systemd, SystemdLifetime stays (it reports readiness).
/// </summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
