using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>A task marked resumable: false starts its work only after its start is recorded.</summary>
public sealed class WriteAheadTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_task_that_must_not_run_twice_waits_until_its_start_is_recorded_and_the_others_do_not()
    {
        var store = new HeldStore();
        var marker = Path.Combine(_h.Folder, "charged");
        var free = Path.Combine(_h.Folder, "free");
        var running = _h.RunTasks($$"""
            [ { "id": "free", "type": "shell", "command": "touch '{{free}}'" },
              { "id": "charge", "type": "shell", "command": "touch '{{marker}}'", "resumable": false, "depends_on": ["free"] } ]
            """, options: new RunOptions { Observers = [store] });

        // The resumable task ran while the store held every flush; the other one asked for one and waits.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(File.Exists(free) && store.Asked) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(File.Exists(free), "a resumable task waited for the store");
        Assert.True(store.Asked, "the task marked resumable: false never asked for its start to be recorded");
        Assert.False(File.Exists(marker), "the task marked resumable: false ran before its start was recorded");
        Assert.Contains(store.SeenAtFirstFlush, e => e is TaskStarted { TaskId: "charge" });

        store.Release();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(File.Exists(marker));
    }

    /// <summary>A store whose flushes complete only when the test says so.</summary>
    private sealed class HeldStore : IDurableRunObserver
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<RunEvent> _events = [];
        public volatile bool Asked;
        public List<RunEvent> SeenAtFirstFlush { get; private set; } = [];

        public void OnEvent(RunEvent e)
        {
            lock (_events) _events.Add(e);
        }

        public Task FlushAsync()
        {
            lock (_events)
                if (!Asked) SeenAtFirstFlush = [.. _events];
            Asked = true;
            return _released.Task;
        }

        public void Release() => _released.TrySetResult();
    }
}
