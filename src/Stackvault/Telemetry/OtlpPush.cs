using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Stackvault.Telemetry;

/// <summary>
/// Pushes the metrics of <c>/metrics</c> (the same names, help texts and labels; gauges as gauges, counters as
/// cumulative monotonic sums) once over OTLP/HTTP with protobuf to <c>ENDPOINT/v1/metrics</c>, through OpenTelemetry's
/// exporter, with the resource <c>service.name=stackvault</c>. Configured as <c>failsafe.otlp.endpoint</c> and sent
/// after each run beside the failsafe export (<see cref="FailsafeExport"/>).
/// </summary>
public static class OtlpPush
{
    private const string MeterName = "stackvault";

    /// <summary>Sends the families; false when the exporter reported a failure (unreachable, non-2xx, timeout).</summary>
    public static bool Push(Uri endpoint, IReadOnlyList<MetricFamily> families, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(families);
        using var meter = new Meter(MeterName, BuildInfo.Version);
        foreach (var family in families)
        {
            var measurements = family.Samples
                .Select(s => new Measurement<double>(s.Value, s.Labels.Select(l => new KeyValuePair<string, object?>(l.Name, l.Value))))
                .ToArray();
            if (family.Type == "counter")
            {
                meter.CreateObservableCounter(family.Name, () => measurements, unit: null, description: family.Help);
            }
            else
            {
                meter.CreateObservableGauge(family.Name, () => measurements, unit: null, description: family.Help);
            }
        }

        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var options = new OtlpExporterOptions
        {
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/metrics"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
            TimeoutMilliseconds = milliseconds,
        };
        // one Collect, one POST: the reader collects again when the provider shuts down, which the exporter lets pass
        using var reader = new BaseExportingMetricReader(new OnceExporter(options)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(MeterName)
            .ConfigureResource(resource => resource.Clear().AddService("stackvault", serviceVersion: BuildInfo.Version))
            .AddReader(reader)
            .Build();
        return reader.Collect(milliseconds);
    }

    /// <summary>OpenTelemetry's OTLP exporter, sending the first batch only.</summary>
    private sealed class OnceExporter(OtlpExporterOptions options) : OtlpMetricExporter(options)
    {
        private int _sent;

        public override ExportResult Export(in Batch<Metric> metrics) =>
            Interlocked.Exchange(ref _sent, 1) == 0 ? base.Export(metrics) : ExportResult.Success;
    }
}
