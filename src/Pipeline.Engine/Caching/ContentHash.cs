using System.IO.Hashing;
using System.Text;

namespace Pipeline.Engine.Caching;

/// <summary>XXH3-128 as 32 lower-case hex digits: fast enough to hash every input on every run, and wide enough that two contents never share a key in practice.</summary>
public static class ContentHash
{
    public static string Of(string text) => Hex(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text)));

    public static string OfFile(string path)
    {
        var hash = new XxHash128();
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan))
            hash.Append(stream);
        return Hex(hash.GetCurrentHashAsUInt128());
    }

    public static string Hex(UInt128 value) => value.ToString("x32");
}
