using System.Net;
using System.Net.Sockets;

namespace Pipeline.Cli.Tests;

/// <summary>
/// A local OTLP/HTTP endpoint (http/protobuf) on 127.0.0.1: keeps each request's path and body, and
/// reads the spans of trace exports with a minimal protobuf reader (OTLP's trace.proto field numbers).
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, byte[] Body)> _requests = [];

    public OtlpReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_requests) _requests.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<(string Path, byte[] Body)> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>One exported span: ids in hex, name, attributes (strings, integers, booleans as text) and status code (0 unset, 1 ok, 2 error).</summary>
    public sealed record Span(string TraceId, string SpanId, string ParentId, string Name, IReadOnlyDictionary<string, string> Attributes, int Status);

    public IReadOnlyList<Span> Spans() => Requests.Where(r => r.Path == "/v1/traces")
        .SelectMany(r => Fields(r.Body).Where(f => f.Number == 1))               // ResourceSpans
        .SelectMany(rs => Fields(rs.Bytes!).Where(f => f.Number == 2))           // ScopeSpans
        .SelectMany(ss => Fields(ss.Bytes!).Where(f => f.Number == 2))           // Span
        .Select(s => ReadSpan(Fields(s.Bytes!)))
        .ToList();

    private static Span ReadSpan(List<Field> f)
    {
        string Hex(int n) => f.FirstOrDefault(x => x.Number == n)?.Bytes is { } b ? Convert.ToHexString(b).ToLowerInvariant() : "";
        var attributes = new Dictionary<string, string>();
        foreach (var kv in f.Where(x => x.Number == 9).Select(x => Fields(x.Bytes!)))
        {
            var key = System.Text.Encoding.UTF8.GetString(kv.First(x => x.Number == 1).Bytes!);
            var value = Fields(kv.First(x => x.Number == 2).Bytes!).First();
            attributes[key] = value.Number switch
            {
                1 => System.Text.Encoding.UTF8.GetString(value.Bytes!),
                2 => value.Varint != 0 ? "true" : "false",
                3 => ((long)value.Varint).ToString(),
                _ => "?",
            };
        }
        var status = f.FirstOrDefault(x => x.Number == 15)?.Bytes is { } st ? (int)(Fields(st).FirstOrDefault(x => x.Number == 3)?.Varint ?? 0) : 0;
        return new Span(Hex(1), Hex(2), Hex(4), System.Text.Encoding.UTF8.GetString(f.First(x => x.Number == 5).Bytes!), attributes, status);
    }

    private sealed record Field(int Number, ulong Varint, byte[]? Bytes);

    /// <summary>The top-level fields of a protobuf message (wire types varint, 64-bit, length-delimited, 32-bit).</summary>
    private static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var tag = Varint(data, ref i);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: fields.Add(new Field(number, Varint(data, ref i), null)); break;
                case 1: fields.Add(new Field(number, BitConverter.ToUInt64(data, i), null)); i += 8; break;
                case 2:
                    var length = (int)Varint(data, ref i);
                    fields.Add(new Field(number, 0, data[i..(i + length)]));
                    i += length;
                    break;
                case 5: fields.Add(new Field(number, BitConverter.ToUInt32(data, i), null)); i += 4; break;
                default: throw new InvalidDataException($"wire type {tag & 7} at {i}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    public void Dispose() => _listener.Close();
}
