namespace Pipeline.Engine.Running;

/// <summary>Durations as people read them: 850ms, 12.3s, 4m05s, 1h02m.</summary>
public static class DurationText
{
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalSeconds < 1) return $"{(int)d.TotalMilliseconds}ms";
        if (d.TotalSeconds < 60) return $"{d.TotalSeconds:0.0}s";
        if (d.TotalMinutes < 60) return $"{(int)d.TotalMinutes}m{d.Seconds:00}s";
        return $"{(int)d.TotalHours}h{d.Minutes:00}m";
    }
}
