using System.Runtime.CompilerServices;

namespace Pipeline.Generators.Tests;

/// <summary>
/// Generated code compared with a file under Snapshots/. On a difference, or with UPDATE_SNAPSHOTS=1,
/// the new text is written beside it as .received.cs for review (rename it to accept it).
/// </summary>
internal static class Snapshots
{
    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        var expectedPath = Path.Combine(folder, name + ".cs");
        var receivedPath = Path.Combine(folder, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");
        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath).Replace("\r\n", "\n") : null;
        if (expected == actual && Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") != "1")
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"generated code differs from Snapshots/{name}.cs; review Snapshots/{name}.received.cs and rename it to accept it");
    }
}
