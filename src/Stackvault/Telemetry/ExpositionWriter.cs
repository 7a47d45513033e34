using System.Globalization;
using System.Text;

namespace Stackvault.Telemetry;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): per family one HELP and one TYPE line, then its samples,
/// label values escaped (backslash, double quote, newline).
/// </summary>
public sealed class ExpositionWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly List<MetricFamily> _families = [];
    private string? _family;

    /// <summary>What was written, as data (for the OTLP push, <see cref="OtlpPush"/>).</summary>
    public IReadOnlyList<MetricFamily> Families => _families;

    /// <summary>Starts a family; its samples follow. <paramref name="type"/> is gauge or counter.</summary>
    public ExpositionWriter Family(string name, string type, string help)
    {
        _family = name;
        _families.Add(new MetricFamily(name, type, help, []));
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    public ExpositionWriter Sample(double value, params (string Name, string Value)[] labels)
    {
        var name = _family ?? throw new InvalidOperationException("Family first");
        _families[^1].Samples.Add(new MetricSample(value, labels));
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                _text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>One metric family: its name, <c>gauge</c> or <c>counter</c>, its help text and its samples.</summary>
public sealed record MetricFamily(string Name, string Type, string Help, List<MetricSample> Samples);

/// <summary>One sample of a family: its value and labels.</summary>
public sealed record MetricSample(double Value, IReadOnlyList<(string Name, string Value)> Labels);
