using System.Runtime.InteropServices;

namespace Pipeline.Cli.Running;

/// <summary>First SIGINT/SIGTERM cancels the run (clean-up still runs); a second one cancels the clean-up too.</summary>
internal sealed class SignalHandler : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalHandler(CancellationTokenSource run, CancellationTokenSource cleanup, TextWriter error,
        string message = "workflow: cancelling: running tasks are being stopped; on_failure and rollback will run (press Ctrl-C again to stop those too)")
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we exit ourselves, after the report
                if (!run.IsCancellationRequested)
                {
                    error.WriteLine(message);
                    run.Cancel();
                }
                else if (!cleanup.IsCancellationRequested)
                {
                    error.WriteLine("workflow: stopping the clean-up too");
                    cleanup.Cancel();
                }
            }));
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
