using System.Runtime.InteropServices;

namespace Pipeline.Core.Loading;

/// <summary>File checks netstandard2.0 has no API for.</summary>
internal static class UnixFiles
{
    private const int ExecuteOk = 1;

    /// <summary>Whether this user may execute the file; always true on Windows, which has no execute bit.</summary>
    public static bool IsExecutable(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return true;
        try { return access(path, ExecuteOk) == 0; }
        catch (System.Exception e) when (e is System.DllNotFoundException or System.EntryPointNotFoundException) { return true; }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int access(string path, int mode);
}
