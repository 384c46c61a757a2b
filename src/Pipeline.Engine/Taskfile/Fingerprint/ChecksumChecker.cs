using Pipeline.Engine.Files;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Taskfile.Fingerprint;

/// <summary>
/// go-task's default up-to-date method: an XXH3-128 hash over every source file (sorted, each file's
/// base name then its content), kept in <c>&lt;temp&gt;/checksum/&lt;task&gt;</c> in go-task's own format, so
/// switching between go-task and Pipeline keeps the state. The new checksum is written during the
/// check; <see cref="Forget"/> removes it when a command then fails, so the next run tries again.
/// </summary>
internal sealed partial class ChecksumChecker(string tempDirectory)
{
    public string FilePath(string task) => Path.Combine(tempDirectory, "checksum", StateFileName(task));

    /// <summary>go-task's name for a task's state file under .task/: every character but A-Z a-z 0-9 becomes '-'.</summary>
    public static string StateFileName(string task) => Unsafe().Replace(task, "-");

    /// <summary>The checksum of the sources, as go-task prints it (<c>%x%x</c> of the two halves, no zero padding).</summary>
    public static string Compute(IEnumerable<string> files)
    {
        var hash = new XxHash128();
        foreach (var file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            using var stream = File.OpenRead(file);
            hash.Append(stream);
        }
        var value = hash.GetCurrentHashAsUInt128();
        return ((ulong)(value >> 64)).ToString("x") + ((ulong)value).ToString("x");
    }

    /// <summary>True when the stored checksum matches; otherwise stores the new one (unless <paramref name="dryRun"/>).</summary>
    public bool IsUpToDate(string task, IReadOnlyList<string> sources, IReadOnlyList<string> generatesGlobs, string directory, bool dryRun, out string checksum)
    {
        checksum = Compute(sources);
        var path = FilePath(task);
        var stored = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        var upToDate = stored == checksum && generatesGlobs.Where(g => !g.StartsWith('!')).All(g => FileGlobs.Match(directory, g).Any());
        if (!upToDate && !dryRun)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, checksum + "\n");
        }
        return upToDate;
    }

    public void Forget(string task)
    {
        try { File.Delete(FilePath(task)); }
        catch (IOException) { /* the next run re-checks anyway */ }
    }

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex Unsafe();
}
