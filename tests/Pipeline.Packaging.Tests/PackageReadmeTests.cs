using System.IO.Compression;

namespace Pipeline.Packaging.Tests;

/// <summary>Every package carries a readme NuGet shows (and pack no longer warns that one is missing).</summary>
public sealed class PackageReadmeTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    [Fact]
    public void Every_package_has_its_readme_at_the_root_named_in_its_nuspec()
    {
        var nupkgs = Directory.GetFiles(packages.Packages, "*.nupkg");
        Assert.True(nupkgs.Length >= 7, string.Join(", ", nupkgs.Select(Path.GetFileName)));
        foreach (var nupkg in nupkgs)
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var readme = zip.GetEntry("README.md");
            Assert.True(readme is not null, $"{Path.GetFileName(nupkg)} has no README.md");
            using (var text = new StreamReader(readme!.Open())) Assert.StartsWith("# Pipeline", text.ReadToEnd());
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var spec = new StreamReader(nuspec.Open());
            Assert.Contains("<readme>README.md</readme>", spec.ReadToEnd());
        }
    }
}
