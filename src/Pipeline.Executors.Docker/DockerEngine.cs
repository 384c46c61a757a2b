using System.Net.Sockets;
using Docker.DotNet;

namespace Pipeline.Executors.Docker;

/// <summary>
/// The Docker engine docker tasks talk to: <c>DOCKER_HOST</c> when set, else the platform's default
/// socket (<c>unix:///var/run/docker.sock</c>, or the <c>docker_engine</c> named pipe on Windows).
/// Docker contexts are not read: set DOCKER_HOST to use another engine. One client per endpoint for
/// the process (clients hold connection pools).
/// </summary>
public sealed class DockerEngine
{
    private static readonly Dictionary<string, DockerEngine> Engines = new(StringComparer.Ordinal);
    private readonly Lazy<DockerClient> _client;

    private DockerEngine(Uri endpoint, string source)
    {
        Endpoint = endpoint;
        Source = source;
        _client = new Lazy<DockerClient>(() => new DockerClientBuilder().WithEndpoint(endpoint).Build());
    }

    public Uri Endpoint { get; }

    /// <summary>Where the endpoint came from, for messages: "DOCKER_HOST" or "the default socket".</summary>
    public string Source { get; }

    internal DockerClient Client => _client.Value;

    /// <summary>The engine the environment names now.</summary>
    public static DockerEngine Current
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            var (endpoint, source) = string.IsNullOrWhiteSpace(host)
                ? (OperatingSystem.IsWindows() ? "npipe://./pipe/docker_engine" : "unix:///var/run/docker.sock", "the default socket")
                : (host.Trim(), "DOCKER_HOST");
            lock (Engines)
            {
                if (!Engines.TryGetValue(endpoint, out var engine))
                    Engines[endpoint] = engine = new DockerEngine(new Uri(endpoint), source);
                return engine;
            }
        }
    }

    private volatile bool _answered;

    /// <summary>
    /// Pings the engine; null when it answers, else why not, with what to do. Once it has answered it
    /// is not asked again: a later failure shows in the call that meets it, with the same message.
    /// </summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        if (_answered) return null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await Client.System.PingAsync(timeout.Token).ConfigureAwait(false);
            _answered = true;
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsUnreachable(e))
        {
            return Unreachable(e);
        }
    }

    /// <summary>True for the failures that mean "no engine there" (no socket, refused, timed out), as opposed to an API error.</summary>
    internal static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException or DockerConfigurationException
        || e.InnerException is { } inner && IsUnreachable(inner);

    internal string Unreachable(Exception e) =>
        $"cannot reach the Docker engine at {Endpoint} ({Source}): {Reason(e)}; start it (sudo systemctl start docker, or dockerd), or set DOCKER_HOST to a running engine";

    private static string Reason(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is SocketException s)
                return s.SocketErrorCode switch
                {
                    SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "no socket there",
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.AccessDenied => "permission denied (add your user to the docker group, or run as root)",
                    _ => s.Message,
                };
        return e is OperationCanceledException or TimeoutException ? "it did not answer within 10 s" : e.GetBaseException().Message;
    }
}
