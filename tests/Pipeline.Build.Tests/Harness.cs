using Pipeline.Build.Hosting;

namespace Pipeline.Build.Tests;

/// <summary>Runs a build class's host in process, with its console captured.</summary>
internal static class Harness
{
    public static async Task<(int Exit, string Output, string Errors)> Run(PipelineBuild build, string[] args, IReadOnlyList<Target>? defaults = null,
        Dictionary<string, string>? environment = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var host = new BuildHost(build, stdout, stderr, name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);
        // Each run records into a folder of its own unless the test names one (runs are recorded as `workflow run`'s are).
        if (!args.Contains("--state-dir")) args = [.. args, "--state-dir", Directory.CreateTempSubdirectory("pipeline-build-state-").FullName];
        var exit = await host.RunAsync(args, defaults ?? []);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>What targets did, in order, with the time each started and ended.</summary>
public sealed class Journal
{
    private readonly List<string> _events = [];

    public void Add(string e)
    {
        lock (_events) _events.Add(e);
    }

    public IReadOnlyList<string> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public int IndexOf(string e) => Events.ToList().IndexOf(e);
}
