using System.Security.Cryptography;
using System.Text;

namespace Pipeline.State.Tests;

/// <summary>The definition hash that tells resume a workflow file changed: the current kind, and SHA-256 recorded by earlier versions.</summary>
public class ContentHashTests
{
    [Fact]
    public void A_changed_file_is_told_apart_by_the_current_hash_and_by_one_recorded_before_as_sha256()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pipeline-hash-").FullName, "a.workflow.json");
        File.WriteAllText(path, "{ \"name\": \"a\" }");
        var current = StateLocation.HashOf(path)!;
        var legacy = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("{ \"name\": \"a\" }"))).ToLowerInvariant();

        Assert.Equal(32, current.Length);
        Assert.Equal(("xxh128", "sha256"), (StateLocation.HashAlgorithm(current), StateLocation.HashAlgorithm(legacy)));
        Assert.True(StateLocation.SameContent(path, current));
        Assert.True(StateLocation.SameContent(path, legacy));

        File.AppendAllText(path, "\n");
        Assert.NotEqual(current, StateLocation.HashOf(path));
        Assert.False(StateLocation.SameContent(path, current));
        Assert.False(StateLocation.SameContent(path, legacy));

        File.Delete(path);
        Assert.Null(StateLocation.HashOf(path));
        Assert.False(StateLocation.SameContent(path, legacy));
    }
}
