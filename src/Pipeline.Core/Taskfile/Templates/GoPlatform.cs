using System.Runtime.InteropServices;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>This machine as Go names it (runtime.GOOS / GOARCH): what <c>{{OS}}</c>, <c>{{ARCH}}</c> and <c>platforms:</c> compare with.</summary>
public static class GoPlatform
{
    public static string Os { get; } =
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "windows"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "darwin"
        : RuntimeInformation.IsOSPlatform(OSPlatform.Create("FREEBSD")) ? "freebsd"
        : "linux";

    public static string Arch { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.X86 => "386",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>go-task's <c>platforms:</c> test: any entry naming this OS, this architecture, or both as <c>os/arch</c>.</summary>
    public static bool Matches(System.Collections.Generic.IEnumerable<string> platforms)
    {
        var any = false;
        foreach (var p in platforms)
        {
            any = true;
            var parts = p.Split('/');
            if (parts.Length == 2 ? parts[0] == Os && parts[1] == Arch : p == Os || p == Arch) return true;
        }
        return !any;
    }
}
