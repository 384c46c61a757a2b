using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Engine.Telemetry;

namespace Pipeline.Telemetry;

/// <summary>
/// Listens to the engine (<see cref="EngineTelemetry"/>) and exports over OTLP, configured only by the
/// standard variables, so it works as every OpenTelemetry-instrumented program does:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or per signal <c>…_TRACES_ENDPOINT</c>, <c>…_METRICS_ENDPOINT</c>)
/// switches a signal on, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> picks <c>grpc</c> (the SDK's default) or
/// <c>http/protobuf</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c> adds headers, <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> describe the service, and <c>OTEL_SDK_DISABLED=true</c> turns it all off.
/// Nothing is set up (and the engine creates no spans) when no endpoint is given.
/// </summary>
public sealed class OtlpTelemetry : IDisposable
{
    /// <summary>How long disposing waits for the last spans and metrics to leave, so a collector that is down cannot hold a command for long.</summary>
    private const int ShutdownMilliseconds = 5000;

    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;

    private OtlpTelemetry(TracerProvider? traces, MeterProvider? metrics)
    {
        _traces = traces;
        _metrics = metrics;
    }

    /// <summary>Starts what the environment asks for; null when it asks for nothing. Dispose it before exiting: that sends what is left.</summary>
    /// <param name="serviceName">The service name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</param>
    public static OtlpTelemetry? StartFromEnvironment(string serviceName)
    {
        if (string.Equals(Variable("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)) return null;
        var any = Variable("OTEL_EXPORTER_OTLP_ENDPOINT") is not null;
        var traces = any || Variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") is not null;
        var metrics = any || Variable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") is not null;
        if (!traces && !metrics) return null;
        return Start(serviceName, traces, metrics);
    }

    // Apart from the check above so that a command without an endpoint never loads the OpenTelemetry
    // assemblies: compiling a method loads the types its body names (it cost every command its start-up).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static OtlpTelemetry Start(string serviceName, bool traces, bool metrics)
    {
        var version = typeof(OtlpTelemetry).Assembly.GetName().Version?.ToString();
        // AddService first, then the environment's detector: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
        void Describe(ResourceBuilder r) => r.AddService(serviceName, serviceVersion: version).AddEnvironmentVariableDetector();
        return new OtlpTelemetry(
            traces ? Sdk.CreateTracerProviderBuilder().ConfigureResource(Describe).AddSource(EngineTelemetry.Name).AddOtlpExporter().Build() : null,
            metrics ? Sdk.CreateMeterProviderBuilder().ConfigureResource(Describe).AddMeter(EngineTelemetry.Name).AddOtlpExporter().Build() : null);
    }

    public void Dispose()
    {
        _traces?.Shutdown(ShutdownMilliseconds);
        _metrics?.Shutdown(ShutdownMilliseconds);
        _traces?.Dispose();
        _metrics?.Dispose();
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
