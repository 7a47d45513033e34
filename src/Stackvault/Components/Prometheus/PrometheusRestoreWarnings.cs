using System.Globalization;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// Warnings before Prometheus blocks go into a data directory: blocks entirely older than the server's retention
/// (Prometheus deletes them at its first retention pass after start), and a <c>wal/</c> in the target whose segments
/// were written during the time the restored head block covers (the WAL replays on start into a head that overlaps
/// the restored block: both hold samples for that range).
/// </summary>
public static class PrometheusRestoreWarnings
{
    /// <summary>Prometheus's default <c>--storage.tsdb.retention.time</c>.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(15);

    /// <summary>Blocks of <paramref name="dataDirectory"/> whose end is older than now minus <paramref name="retention"/>.</summary>
    public static IReadOnlyList<string> OldBlocks(string dataDirectory, TimeSpan retention, DateTimeOffset now)
    {
        var cutoff = (now - retention).ToUnixTimeMilliseconds();
        var old = TsdbLayout.Scan(dataDirectory).Blocks.Where(b => b.MaxTime < cutoff).ToList();
        if (old.Count == 0)
        {
            return [];
        }

        var newest = DateTimeOffset.FromUnixTimeMilliseconds(old.Max(b => b.MaxTime));
        return [$"{old.Count} restored block(s) end before the retention window ({Configuration.DurationFormat.Format(retention)}: data older than {Time(now - retention)}), the newest of them at {Time(newest)} ({string.Join(", ", old.Take(3).Select(b => b.Ulid))}{(old.Count > 3 ? ", ..." : string.Empty)}): "
            + "Prometheus deletes them at its first retention pass after start; raise --storage.tsdb.retention.time (and the component's retention) first to keep them"];
    }

    /// <summary>
    /// A warning when <paramref name="targetDirectory"/> has WAL segments written after the restored head block (the
    /// newest restored block) began: the segments' modification times bound the samples they hold.
    /// </summary>
    public static IReadOnlyList<string> WalOverlap(IReadOnlyList<TsdbBlock> restored, string targetDirectory)
    {
        var wal = Path.Combine(targetDirectory, "wal");
        if (restored.Count == 0 || !Directory.Exists(wal))
        {
            return [];
        }

        var segments = new DirectoryInfo(wal).EnumerateFiles().Where(f => f.Name.All(char.IsAsciiDigit)).ToList();
        if (segments.Count == 0)
        {
            return [];
        }

        var head = restored.MaxBy(b => b.MaxTime)!;
        var lastWrite = new DateTimeOffset(segments.Max(s => s.LastWriteTimeUtc), TimeSpan.Zero);
        if (lastWrite.ToUnixTimeMilliseconds() < head.MinTime)
        {
            return [];
        }

        return [$"{wal} has {segments.Count} segment(s) written until {Time(lastWrite)}, inside or after the restored head block {head.Ulid} "
            + $"({Time(DateTimeOffset.FromUnixTimeMilliseconds(head.MinTime))} to {Time(DateTimeOffset.FromUnixTimeMilliseconds(head.MaxTime))}): "
            + "on start Prometheus replays that WAL into its head, which then overlaps the restored block (the same series and range from two sources: "
            + "duplicate or conflicting samples until an overlapping compaction merges them). For exactly the snapshot, stop Prometheus and move wal/ and chunks_head/ aside before starting it"];
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
