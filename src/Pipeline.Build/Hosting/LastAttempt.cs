using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Build.Hosting;

/// <summary>
/// What succeeded in the last attempt, for <c>--continue</c> (NUKE's): a failed build run again
/// with the same arguments and <c>--continue</c> skips the targets and workflows that already
/// succeeded. One small file per distinct set of arguments in the build project's obj/ folder;
/// files untouched for 30 days are removed.
/// </summary>
internal static class LastAttempt
{
    private static string Folder(string projectDirectory) => Path.Combine(projectDirectory, "obj", "pipeline", "attempts");

    private static string PathFor(string projectDirectory, string invocation) =>
        Path.Combine(Folder(projectDirectory), Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(invocation)))[..16] + ".txt");

    /// <summary>The ids that succeeded last time, or null when there is no attempt with these arguments.</summary>
    public static IReadOnlySet<string>? Succeeded(string projectDirectory, string invocation)
    {
        var path = PathFor(projectDirectory, invocation);
        return File.Exists(path) ? File.ReadAllLines(path).ToHashSet(StringComparer.Ordinal) : null;
    }

    public static void Save(string projectDirectory, string invocation, IEnumerable<string> succeeded)
    {
        try
        {
            var folder = Folder(projectDirectory);
            Directory.CreateDirectory(folder);
            File.WriteAllLines(PathFor(projectDirectory, invocation), succeeded);
            foreach (var old in new DirectoryInfo(folder).EnumerateFiles("*.txt").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-30)))
                old.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // --continue will run everything again; the build itself is not affected.
        }
    }
}
