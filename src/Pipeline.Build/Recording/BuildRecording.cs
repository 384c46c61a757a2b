using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Reporting;
using Pipeline.State;

namespace Pipeline.Build.Recording;

/// <summary>
/// Records a build project's runs in the same state store as <c>workflow run</c> (the same
/// <c>.workflow</c> directory, or <c>WORKFLOW_POSTGRES</c>), with the trigger <c>build</c>, so
/// <c>workflow history</c>, <c>status</c>, <c>health</c> and <c>monitor</c> show them: the build's
/// own run (its targets and workflow nodes) under the build project's name, and each generated
/// workflow it runs under that workflow's own name, with a report and logs like any run. One store
/// for the whole build; when it cannot be opened the build warns once and runs unrecorded.
/// </summary>
internal sealed class BuildRecording : IDisposable
{
    public const string Trigger = "build";

    private readonly RelationalStateStore? _store;
    private readonly List<string> _warnings = [];

    private BuildRecording(RelationalStateStore? store, string stateDirectory)
    {
        _store = store;
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    /// <summary>Opens the store under <paramref name="stateDirectory"/> (or the configured server).</summary>
    public static BuildRecording Open(string stateDirectory, TextWriter stderr)
    {
        try
        {
            return new BuildRecording(StateLocation.Open(stateDirectory), stateDirectory);
        }
        catch (StateStoreException e)
        {
            stderr.WriteLine($"warning: {e.Message}; this build is not recorded in the history");
            return new BuildRecording(null, stateDirectory);
        }
    }

    /// <summary>Starts recording one run of <paramref name="definition"/> (the build's or a workflow's).</summary>
    /// <param name="retention">Whether this run removes the runs older than the retention when it ends (the build's own run does, once).</param>
    public RecordedRun Start(WorkflowDefinition definition, IReadOnlyDictionary<string, string> parameters, bool retention) =>
        new(this, definition, parameters, retention);

    /// <summary>What went wrong recording any of the build's runs, once each.</summary>
    public IReadOnlyList<string> Warnings
    {
        get { lock (_warnings) return _warnings.Distinct().ToList(); }
    }

    public void Dispose() => _store?.Dispose();

    /// <summary>One run being recorded: the store's pipeline in front of its report and display.</summary>
    internal sealed class RecordedRun : IDisposable
    {
        private readonly BuildRecording _owner;
        private readonly RunReportWriter _report;
        private readonly RunRecording _recording;
        private readonly bool _retention;

        public RecordedRun(BuildRecording owner, WorkflowDefinition definition, IReadOnlyDictionary<string, string> parameters, bool retention)
        {
            _owner = owner;
            _retention = retention;
            _report = new RunReportWriter(owner.StateDirectory);
            _recording = new RunRecording(owner._store, new RunContext
            {
                Trigger = Trigger,
                ContentHash = StateLocation.HashOf(definition.Path),
                Parameters = parameters,
                LogPath = _report.LogPath,
            });
        }

        /// <summary>The run's observers: the store first, then the report, then <paramref name="display"/>.</summary>
        public IRunObserver[] Observers(IRunObserver display) => _recording.Observers(_report, display);

        /// <summary>Waits until the events so far are stored and shown; the run goes on.</summary>
        public Task FlushAsync() => _recording.FlushAsync();

        /// <summary>Waits until every event is stored, then keeps what went wrong for <see cref="Warnings"/>.</summary>
        public async Task CompleteAsync()
        {
            await _recording.CompleteAsync().ConfigureAwait(false);
            var warnings = _recording.Finish(_owner.StateDirectory, _retention);
            if (_report.Error is { } reportError) warnings = [.. warnings, $"could not write the report or logs: {reportError}"];
            lock (_owner._warnings) _owner._warnings.AddRange(warnings);
        }

        public void Dispose() => _report.Dispose();
    }
}
