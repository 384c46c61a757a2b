namespace Pipeline.Engine.Running;

/// <summary>
/// The run's max_parallel slots. Only tasks that do work take one (shell, http, scripts); a parallel
/// group, loop or conditional does not, so their members can never wait on a slot their own parent
/// holds. A release wakes the scheduler so it can start the next ready task.
/// </summary>
internal sealed class SlotPool(int size, Action released) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(size, size);

    public bool TryTake() => _slots.Wait(0);

    public Task TakeAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release()
    {
        _slots.Release();
        released();
    }

    public void Dispose() => _slots.Dispose();
}
