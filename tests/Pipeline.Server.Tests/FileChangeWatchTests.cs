using System.Collections.Concurrent;
using Pipeline.Server.Files;

namespace Pipeline.Server.Tests;

/// <summary>File change triggers on a real folder with real writes: batching, ignore globs, polling, kinds, and an event storm.</summary>
public sealed class FileChangeWatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-files-").FullName;
    private readonly ConcurrentQueue<FileChanges> _batches = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private FileChangeWatch Watch(TimeSpan? poll = null, FileChangeKind[]? kinds = null, int debounceMs = 300) =>
        new(new FileWatchEntry("w", 0, _root, ["inbox/**/*.csv"], [.. FileWatchEntry.DefaultIgnore, "inbox/tmp/**"], TimeSpan.FromMilliseconds(debounceMs), poll,
            (kinds ?? [FileChangeKind.Added, FileChangeKind.Changed, FileChangeKind.Deleted]).ToHashSet()),
            changes => { _batches.Enqueue(changes); return Task.CompletedTask; }, _ => { });

    private void Write(string path, string text = "x")
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private async Task<FileChanges> Batch(int number)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (_batches.Count < number)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_batches.Count} batch(es) of {number}");
            await Task.Delay(20);
        }
        return _batches.ElementAt(number - 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Changes_inside_the_window_make_one_batch_of_matching_files_with_their_kinds(bool polling)
    {
        Write("inbox/old.csv");
        Write("inbox/gone.csv");
        using var watch = Watch(polling ? TimeSpan.FromMilliseconds(200) : null);
        Write("inbox/a.csv");
        Write("inbox/2026/b.csv");
        Write("inbox/notes.txt");     // not matched
        Write("inbox/tmp/c.csv");     // ignored
        Write("inbox/bin/d.csv");     // ignored by default
        var first = await Batch(1);
        Assert.Equal(["inbox/2026/b.csv", "inbox/a.csv"], first.Added);
        Assert.Empty(first.Changed);

        Write("inbox/old.csv", "longer now");
        File.Delete(Path.Combine(_root, "inbox/gone.csv"));
        var second = await Batch(2);
        Assert.Equal(["inbox/old.csv"], second.Changed);
        Assert.Equal(["inbox/gone.csv"], second.Deleted);
        Assert.Empty(second.Added);
        Assert.Equal(2, _batches.Count);
    }

    [Fact]
    public async Task Only_the_kinds_of_change_asked_for_start_a_batch()
    {
        Write("inbox/keep.csv");
        using var watch = Watch(kinds: [FileChangeKind.Added]);
        File.Delete(Path.Combine(_root, "inbox/keep.csv")); // a deletion alone starts nothing
        Write("inbox/new.csv");
        var batch = await Batch(1);
        Assert.Equal(["inbox/new.csv"], batch.Added);
        Assert.Empty(batch.Deleted);
    }

    [Fact]
    public async Task An_event_storm_of_10000_files_becomes_a_few_batches_that_list_every_file_once()
    {
        using var watch = Watch(debounceMs: 500);
        Directory.CreateDirectory(Path.Combine(_root, "inbox", "storm"));
        for (var i = 0; i < 10_000; i++) File.WriteAllText(Path.Combine(_root, "inbox", "storm", $"f{i:D5}.csv"), "x");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (_batches.Sum(b => b.Added.Count) < 10_000)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_batches.Sum(b => b.Added.Count)} of 10000 files in {_batches.Count} batch(es)");
            await Task.Delay(50);
        }
        var added = _batches.SelectMany(b => b.Added).ToList();
        Assert.Equal(10_000, added.Distinct().Count());
        Assert.Equal(10_000, added.Count);
        Assert.InRange(_batches.Count, 1, 10);
    }
}
