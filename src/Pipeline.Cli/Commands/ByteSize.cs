using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Sizes as people write them: <c>2GB</c>, <c>500MB</c>, <c>1.5GiB</c>, <c>750k</c>, <c>1048576</c>.
/// KB/MB/GB/TB are powers of 1000 and KiB/MiB/GiB/TiB powers of 1024, as written; a bare letter
/// (<c>k</c>, <c>m</c>, <c>g</c>) is binary, as docker and dd read it.
/// </summary>
public static partial class ByteSize
{
    public static long? Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return null;
        var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        double factor = unit switch
        {
            "" or "b" => 1,
            "kb" => 1e3, "mb" => 1e6, "gb" => 1e9, "tb" => 1e12,
            "k" or "kib" => 1L << 10, "m" or "mib" => 1L << 20, "g" or "gib" => 1L << 30, "t" or "tib" => 1L << 40,
            _ => double.NaN,
        };
        var bytes = number * factor;
        return double.IsNaN(bytes) || bytes > long.MaxValue ? null : (long)bytes;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => FormattableString.Invariant($"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => FormattableString.Invariant($"{bytes} B"),
    };

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
