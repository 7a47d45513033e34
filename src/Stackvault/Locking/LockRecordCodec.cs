using System.Globalization;
using System.Text.Json;

namespace Stackvault.Locking;

/// <summary>Writes and reads the JSON of a lock object, field by field, in a fixed order.</summary>
internal static class LockRecordCodec
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static byte[] Encode(LockRecord r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", r.Version);
            w.WriteBoolean("exclusive", r.Exclusive);
            w.WriteString("operation", r.Operation);
            w.WriteString("hostname", r.Hostname);
            w.WriteNumber("pid", r.Pid);
            w.WriteNumber("process_start", r.ProcessStart);
            w.WriteString("username", r.Username);
            w.WriteString("created", FormatTime(r.Created));
            w.WriteString("refreshed", FormatTime(r.Refreshed));
            w.WriteNumber("lease_seconds", r.LeaseSeconds);
            w.WriteNumber("sequence", r.Sequence);
            w.WriteString("chain", r.Chain);
            w.WriteString("pid_namespace", r.PidNamespace);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses a lock object; returns null with the reason when it is malformed or of a newer version.</summary>
    public static LockRecord? TryDecode(ReadOnlySpan<byte> json, out string error)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            var version = root.GetProperty("version").GetInt32();
            if (version != LockRecord.CurrentVersion)
            {
                error = $"lock format version {version}, this Stackvault reads version {LockRecord.CurrentVersion}";
                return null;
            }

            var record = new LockRecord(
                version,
                root.GetProperty("exclusive").GetBoolean(),
                root.GetProperty("operation").GetString() ?? string.Empty,
                root.GetProperty("hostname").GetString() ?? string.Empty,
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("process_start").GetInt64(),
                root.GetProperty("username").GetString() ?? string.Empty,
                ParseTime(root.GetProperty("created")),
                ParseTime(root.GetProperty("refreshed")),
                root.GetProperty("lease_seconds").GetInt32(),
                root.GetProperty("sequence").GetInt64(),
                root.GetProperty("chain").GetString() ?? string.Empty,
                root.TryGetProperty("pid_namespace", out var ns) ? ns.GetString() ?? string.Empty : string.Empty);
            error = Check(record);
            return error.Length == 0 ? record : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = $"malformed lock object: {e.Message}";
            return null;
        }
    }

    private static string Check(LockRecord r) =>
        r.Pid <= 0 ? $"invalid pid {r.Pid}"
        : r.LeaseSeconds <= 0 ? $"invalid lease {r.LeaseSeconds}"
        : r.Sequence < 0 ? $"invalid sequence {r.Sequence}"
        : r.Hostname.Length == 0 ? "empty hostname"
        : r.Chain.Length != 64 || r.Chain.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0 ? "invalid chain"
        : string.Empty;

    private static DateTimeOffset ParseTime(JsonElement element) =>
        DateTimeOffset.Parse(element.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
