using System.Globalization;
using System.Text.Json;

namespace Stackvault.Telemetry;

/// <summary>
/// Log lines on stderr: human text (<c>TIME LEVEL message key=value...</c>) or JSON Lines (<c>--log-format json</c>:
/// time, level, msg and the fields). Callers pass only names, ids, counts and error messages: never secrets.
/// </summary>
public sealed class Log(TextWriter writer, bool json, LogSeverity minimum, TimeProvider time)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
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

            line = JsonSerializer.Serialize(record, JsonOptions);
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
        return text.Any(c => c is ' ' or '"' or '=') ? JsonSerializer.Serialize(text, JsonOptions) : text;
    }
}
