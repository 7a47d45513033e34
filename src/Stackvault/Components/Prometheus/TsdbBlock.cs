using System.Text.Json;
using Stackvault.Errors;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// A complete TSDB block: a ULID-named directory with chunks/, index, tombstones and meta.json, the last file written.
/// meta.json is untrusted (it may come from a damaged disk or a repository): every field used is checked, and an
/// error names the block and the field.
/// </summary>
/// <param name="Path">The block directory.</param>
/// <param name="Ulid">The block's ULID, equal to its directory name.</param>
/// <param name="MinTime">First timestamp, in Unix milliseconds (inclusive).</param>
/// <param name="MaxTime">End timestamp, in Unix milliseconds (exclusive).</param>
/// <param name="NumSamples">stats.numSamples.</param>
/// <param name="CompactionLevel">compaction.level: 1 for a block cut from the head, more for compacted blocks.</param>
/// <param name="Sources">compaction.sources: the level-1 blocks this block was made of.</param>
/// <param name="Parents">compaction.parents: the ULIDs of the blocks compacted into this one (empty at level 1).</param>
public sealed record TsdbBlock(
    string Path, string Ulid, long MinTime, long MaxTime, ulong NumSamples, int CompactionLevel,
    IReadOnlyList<string> Sources, IReadOnlyList<string> Parents)
{
    /// <summary>meta.json files larger than this are refused (a big compacted block lists a few thousand sources).</summary>
    public const int MaxMetaBytes = 16 << 20;

    /// <summary>Reads and checks <c>&lt;blockDirectory&gt;/meta.json</c>.</summary>
    public static TsdbBlock Read(string blockDirectory)
    {
        var metaPath = System.IO.Path.Join(blockDirectory, "meta.json");
        var length = new FileInfo(metaPath).Length;
        if (length > MaxMetaBytes)
        {
            throw new StackvaultException($"TSDB block {blockDirectory}: meta.json has {length} bytes, more than {MaxMetaBytes}");
        }

        return Parse(File.ReadAllBytes(metaPath), blockDirectory);
    }

    /// <summary>Checks a meta.json; its ulid must equal the name of <paramref name="blockDirectory"/>.</summary>
    public static TsdbBlock Parse(ReadOnlySpan<byte> metaJson, string blockDirectory)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(blockDirectory));
        var what = $"TSDB block {blockDirectory}: meta.json";
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(metaJson);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new StackvaultException($"{what} is not valid JSON: {PrometheusResponse.OneLine(ex.Message)}", inner: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(what, "(root)", "must be an object");
            }

            var version = Get(root, "version", what);
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != 1)
            {
                throw Bad(what, "version", "must be 1");
            }

            var ulid = Get(root, "ulid", what);
            if (ulid.ValueKind != JsonValueKind.String || !TsdbUlid.IsValid(ulid.GetString()))
            {
                throw Bad(what, "ulid", "must be a ULID");
            }

            if (ulid.GetString() != name)
            {
                throw Bad(what, "ulid", $"is {ulid.GetString()}, but the block directory is named {PrometheusResponse.OneLine(name)}");
            }

            var minTime = Int64(root, "minTime", what);
            var maxTime = Int64(root, "maxTime", what);
            if (maxTime < minTime)
            {
                throw Bad(what, "maxTime", $"({maxTime}) is before minTime ({minTime})");
            }

            var stats = Object(root, "stats", "stats", what);
            var numSamples = Get(stats, "numSamples", what, "stats.numSamples");
            if (numSamples.ValueKind != JsonValueKind.Number || !numSamples.TryGetUInt64(out var samples))
            {
                throw Bad(what, "stats.numSamples", "must be a non-negative integer");
            }

            var compaction = Object(root, "compaction", "compaction", what);
            var level = Get(compaction, "level", what, "compaction.level");
            if (level.ValueKind != JsonValueKind.Number || !level.TryGetInt32(out var compactionLevel) || compactionLevel < 1)
            {
                throw Bad(what, "compaction.level", "must be an integer of at least 1");
            }

            var sources = Ulids(compaction, "sources", what, required: true);
            var parents = Ulids(compaction, "parents", what, required: false);
            return new TsdbBlock(blockDirectory, name, minTime, maxTime, samples, compactionLevel, sources, parents);
        }
    }

    private static List<string> Ulids(JsonElement compaction, string name, string what, bool required)
    {
        var field = $"compaction.{name}";
        if (!compaction.TryGetProperty(name, out var array))
        {
            return required ? throw Bad(what, field, "is missing") : [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Bad(what, field, "must be an array");
        }

        var ulids = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            // sources holds ULID strings; parents holds {"ulid","minTime","maxTime"} objects.
            var ulid = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ulid", out var inner) ? inner : item;
            if (ulid.ValueKind != JsonValueKind.String || !TsdbUlid.IsValid(ulid.GetString()))
            {
                throw Bad(what, field, "must hold only ULIDs");
            }

            ulids.Add(ulid.GetString()!);
        }

        return ulids;
    }

    private static long Int64(JsonElement obj, string name, string what)
    {
        var value = Get(obj, name, what);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw Bad(what, name, "must be a 64-bit integer (Unix milliseconds)");
    }

    private static JsonElement Object(JsonElement obj, string name, string field, string what)
    {
        var value = Get(obj, name, what, field);
        return value.ValueKind == JsonValueKind.Object ? value : throw Bad(what, field, "must be an object");
    }

    private static JsonElement Get(JsonElement obj, string name, string what, string? field = null) =>
        obj.TryGetProperty(name, out var value) ? value : throw Bad(what, field ?? name, "is missing");

    private static StackvaultException Bad(string what, string field, string problem) => new($"{what} field '{field}' {problem}");
}
