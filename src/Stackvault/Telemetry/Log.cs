using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Stackvault.Jobs;
using Stackvault.Repository.Model;

namespace Stackvault.Telemetry;

/// <summary>
/// Log lines on stderr: human text (<c>TIME LEVEL message key=value...</c>) or JSON Lines (<c>--log-format json</c>:
/// time, level, msg and the fields). Callers pass only names, ids, counts and error messages: never secrets.
/// </summary>
public sealed class Log(TextWriter writer, bool json, LogSeverity minimum, TimeProvider time)
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();

    public static Log Null { get; } = new(TextWriter.Null, false, LogSeverity.Error, TimeProvider.System);

    public bool Enabled(LogSeverity severity) => severity >= minimum;

    public void Debug(string message, params (string Key, object? Value)[] fields) => Write(LogSeverity.Debug, message, fields);

    public void Verbose(string message, params (string Key, object? Value)[] fields) => Write(LogSeverity.Verbose, message, fields);

    public void Info(string message, params (string Key, object? Value)[] fields) => Write(LogSeverity.Info, message, fields);

    public void Warn(string message, params (string Key, object? Value)[] fields) => Write(LogSeverity.Warning, message, fields);

    public void Error(string message, params (string Key, object? Value)[] fields) => Write(LogSeverity.Error, message, fields);

    public void Write(LogSeverity severity, string message, params (string Key, object? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!Enabled(severity))
        {
            return;
        }

        var now = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var level = Name(severity);
        string line;
        if (json)
        {
            var record = new Dictionary<string, object?> { ["time"] = now, ["level"] = level, ["msg"] = message };
            foreach (var (key, value) in fields)
            {
                record[key] = value is DateTimeOffset at ? at.ToString("O", CultureInfo.InvariantCulture) : value;
            }

            line = Json(record);
        }
        else
        {
            var extra = string.Concat(fields.Where(f => f.Value is not null).Select(f => $" {f.Key}={Text(f.Value)}"));
            line = $"{now} {level,-5} {message}{extra}";
        }

        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Name(LogSeverity severity) => severity switch
    {
        LogSeverity.Debug => "debug",
        LogSeverity.Verbose => "info",
        LogSeverity.Info => "info",
        LogSeverity.Warning => "warn",
        _ => "error",
    };

    private static string Text(object? value)
    {
        var text = value switch
        {
            DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString() ?? string.Empty,
        };
        return text.Any(c => c is ' ' or '"' or '=') ? Json(text) : text;
    }

    /// <summary>
    /// The record as one JSON object, written as System.Text.Json's serializer wrote the dictionary (its converters
    /// call the same writer methods), without reflection: strings, booleans and numbers as themselves, enums as their
    /// numbers (the status enums, which carry a converter, as their stored names), DateTime, TimeSpan and Guid as
    /// their strings; any other value (none is logged) as its ToString().
    /// </summary>
    private static string Json(Dictionary<string, object?> record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in record)
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Json(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (JsonScalar.TryWrite(writer, value))
        {
            return;
        }

        switch (value)
        {
            case JobStatus status:
                writer.WriteStringValue(status.Name());
                break;
            case ComponentStatus status:
                writer.WriteStringValue(status.Name());
                break;
            case SnapshotStatus status:
                writer.WriteStringValue(status.Name());
                break;
            case Enum e:
                WriteEnum(writer, e);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case DateTime at:
                writer.WriteStringValue(at);
                break;
            case DateTimeOffset at:
                writer.WriteStringValue(at);
                break;
            case TimeSpan span:
                writer.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                break;
            case Guid guid:
                writer.WriteStringValue(guid);
                break;
            default:
                writer.WriteStringValue(value!.ToString());
                break;
        }
    }

    /// <summary>An enum as the serializer wrote one without a converter: its underlying number.</summary>
    private static void WriteEnum(Utf8JsonWriter writer, Enum value)
    {
        switch (value.GetTypeCode())
        {
            case TypeCode.UInt64:
                writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
