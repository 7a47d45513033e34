using System.Globalization;
using System.Text.Json;

namespace Stackvault.Buckets;

/// <summary>
/// What the report needs from a block's meta.json: its time range and, for TSDB blocks written by Thanos, Mimir or
/// Cortex, the files the block must have (<c>thanos.files</c>: <c>rel_path</c>, <c>size_bytes</c>).
/// </summary>
internal sealed record BlockMeta(long? MinTime, long? MaxTime, IReadOnlyList<(string Path, long? Size)> Files)
{
    /// <summary>Parses a meta.json; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not one.</summary>
    public static BlockMeta Parse(ReadOnlySpan<byte> json, BucketLayout layout)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("meta.json is not a JSON object");
        }

        if (!layout.IsTsdb)
        {
            return new BlockMeta(Time(root, "startTime"), Time(root, "endTime"), []);
        }

        if (!root.TryGetProperty("minTime", out var min) || !root.TryGetProperty("maxTime", out var max) || min.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException("meta.json has no minTime/maxTime");
        }

        var files = new List<(string, long?)>();
        if (root.TryGetProperty("thanos", out var thanos) && thanos.ValueKind == JsonValueKind.Object
            && thanos.TryGetProperty("files", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in list.EnumerateArray())
            {
                var path = file.TryGetProperty("rel_path", out var p) ? p.GetString() : null;
                long? size = file.TryGetProperty("size_bytes", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
                if (!string.IsNullOrEmpty(path))
                {
                    files.Add((path, size));
                }
            }
        }

        return new BlockMeta(min.GetInt64(), max.GetInt64(), files);
    }

    private static long? Time(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : null;
}
