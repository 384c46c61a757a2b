namespace Pipeline.Packaging.Tests;

/// <summary>
/// Packs the packages once for all tests, from a copy of the sources outside the repository (so the
/// repository's own build outputs, in use by other test runs, are never rewritten), with a version
/// of its own (so no stale package of the same version in the NuGet cache can be used), and
/// installs the template pack into a private template hive.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    public PackagesFixture()
    {
        Root = Directory.CreateTempSubdirectory("pipeline-packaging-").FullName;
        Version = $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}";
        Packages = Path.Combine(Root, "packages");
        Hive = Path.Combine(Root, "hive");
        var sources = Path.Combine(Root, "sources");
        var repo = RepoRoot();
        foreach (var folder in new[] { "src", "templates" }) Copy(Path.Combine(repo, folder), Path.Combine(sources, folder));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "global.json" }) File.Copy(Path.Combine(repo, file), Path.Combine(sources, file));

        foreach (var project in new[] { "src/Pipeline.Core", "src/Pipeline.Engine", "src/Pipeline.Executors.Docker", "src/Pipeline.State", "src/Pipeline.Telemetry", "src/Pipeline.Build", "src/Pipeline.Sdk", "templates" })
            Dotnet.Ok(sources, "pack", project, "-c", "Release", $"-p:Version={Version}", "-o", Packages, "-nologo");
        Dotnet.Ok(Root, "new", "install", Path.Combine(Packages, $"Pipeline.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive);

        NuGetConfig = Path.Combine(Root, "nuget.config");
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="pipeline-under-test" value="{Packages}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
    }

    public string Root { get; }
    public string Version { get; }
    public string Packages { get; }
    public string Hive { get; }

    /// <summary>Lies above every project the tests create, so restore finds the packages under test.</summary>
    public string NuGetConfig { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        // This version's packages, extracted into the NuGet cache by the tests' restores.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "pipeline.core", "pipeline.engine", "pipeline.executors.docker", "pipeline.state", "pipeline.telemetry", "pipeline.build", "pipeline.sdk" })
        {
            var folder = Path.Combine(cache, id, Version);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Pipeline.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
