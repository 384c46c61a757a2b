using System.Text;
using Pipeline.Engine.Events;
using Pipeline.Engine.Secrets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// The output of a cacheable task's last attempt, written to a scratch file as it comes (one line
/// per output line, <c>o</c> or <c>e</c> then the text), so a hit can replay it without the engine
/// keeping it in memory. Remembers whether any line held a secret: such a log never enters the cache.
/// </summary>
internal sealed class CacheLog : IDisposable
{
    private readonly string _path;
    private readonly SecretMasker _masker;
    private readonly object _lock = new();
    private StreamWriter? _writer;

    public CacheLog(string path, SecretMasker masker)
    {
        _path = path;
        _masker = masker;
    }

    public bool Revealed { get; private set; }

    /// <summary>A new attempt starts: only the last one's output stands for the task.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
            Revealed = false;
            if (File.Exists(_path)) File.Delete(_path);
        }
    }

    public void Add(OutputStream stream, string line)
    {
        lock (_lock)
        {
            if (!Revealed && _masker.Reveals(line)) Revealed = true;
            _writer ??= new StreamWriter(_path, append: false, new UTF8Encoding(false), 1 << 14);
            _writer.Write(stream == OutputStream.Stdout ? 'o' : 'e');
            _writer.Write(line);
            _writer.Write('\n');
        }
    }

    /// <summary>Closes the file and returns its path, or null when the task printed nothing.</summary>
    public string? Close()
    {
        lock (_lock)
        {
            if (_writer is null) return null;
            _writer.Dispose();
            _writer = null;
            return _path;
        }
    }

    public void Dispose()
    {
        Close();
        try { if (File.Exists(_path)) File.Delete(_path); }
        catch (IOException) { /* the run's scratch folder goes anyway */ }
    }

    /// <summary>The lines of a stored log, in the order they were printed.</summary>
    public static IEnumerable<(OutputStream Stream, string Line)> Replay(string path)
    {
        if (!File.Exists(path)) yield break;
        using var reader = new StreamReader(path, Encoding.UTF8);
        var line = new StringBuilder();
        // Split on \n only: a line may hold a \r (progress bars), which ReadLine would split on.
        for (var c = reader.Read(); c >= 0; c = reader.Read())
        {
            if (c != '\n') { line.Append((char)c); continue; }
            if (line.Length > 0) yield return (line[0] == 'e' ? OutputStream.Stderr : OutputStream.Stdout, line.ToString(1, line.Length - 1));
            line.Clear();
        }
    }
}
