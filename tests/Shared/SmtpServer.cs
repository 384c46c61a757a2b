using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Pipeline.Testing;

/// <summary>A real SMTP server (Debian's aiosmtpd) on a free loopback port for a test class; each message is a file.</summary>
public sealed class SmtpServer : IDisposable
{
    private readonly Process _process;

    public SmtpServer()
    {
        Folder = Directory.CreateTempSubdirectory("pipeline-smtp-").FullName;
        Port = FreePort();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smtp_sink.py"));
        psi.ArgumentList.Add(Port.ToString());
        psi.ArgumentList.Add(Folder);
        _process = Process.Start(psi)!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result != "ready")
            throw new InvalidOperationException("the SMTP server did not start (is python3-aiosmtpd installed? tests/run installs it): " + _process.StandardError.ReadToEnd());
    }

    public string Folder { get; }
    public int Port { get; }

    /// <summary>Waits (generously) for the message whose text mentions <paramref name="marker"/> (an execution id), so tests sharing the server tell theirs apart.</summary>
    public MimeMessage WaitFor(string marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = Files().Select(f => MimeMessage.Load(f)).FirstOrDefault(m => (m.TextBody ?? "").Contains(marker, StringComparison.Ordinal) || (m.Subject ?? "").Contains(marker, StringComparison.Ordinal));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 60s for a message about {marker}");
            Thread.Sleep(50);
        }
    }

    public int Count => Files().Length;

    private string[] Files() => Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).ToArray();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(10_000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
