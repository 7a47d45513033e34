using Stackvault.Repository;

namespace Stackvault.Backup;

/// <summary>What to back up and how; validated by <see cref="Validate"/> before the repository is touched.</summary>
public sealed class BackupOptions
{
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Sources with their places in the snapshot (component adapters); <see cref="Paths"/> are added as mirrored sources.</summary>
    public IReadOnlyList<BackupSource> Sources { get; init; } = [];

    public IReadOnlyList<BackupSource> AllSources() => [.. Paths.Select(BackupSource.ForPath), .. Sources];

    public IReadOnlyList<string> Excludes { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string Hostname { get; init; } = Environment.MachineName;

    public string Username { get; init; } = Environment.UserName;

    /// <summary>An explicit parent snapshot; null picks the latest snapshot of the same host and paths.</summary>
    public ObjectId? Parent { get; init; }

    /// <summary>Read every file even when the parent says it is unchanged.</summary>
    public bool Force { get; init; }

    /// <summary>Count files and bytes in the background first, for a progress bar's ETA.</summary>
    public bool ScanTotals { get; init; }

    /// <summary>Directory listings read ahead of the walk (started before the repository opened); null: none.</summary>
    public SourcePrescan? Prescan { get; init; }

    /// <summary>Awaited with each file's path before it is read (tests hold a file back to see what the walk does meanwhile).</summary>
    internal Func<string, CancellationToken, ValueTask>? BeforeFile { get; init; }

    /// <summary>Files read in parallel.</summary>
    public int FileConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Bytes of source files read while not cached after which the backup lets go of the cold files it reads
    /// (<see cref="FileArchiver"/>); null: what the page cache takes without pressure
    /// (<see cref="Platform.PageCache.AbsorbableBytes"/>). Tests set 0.
    /// </summary>
    public long? LetGoOfSourcesAfter { get; init; }

    /// <summary>Called with the finished manifest just before it is saved (a job adds its component sections).</summary>
    public Func<Repository.Model.Snapshot, Repository.Model.Snapshot>? Finish { get; init; }

    /// <summary>After <see cref="Finish"/>, with the trees saved: may read them (a job records each component's stored size).</summary>
    public Func<Repository.Model.Snapshot, CancellationToken, ValueTask<Repository.Model.Snapshot>>? FinishAsync { get; init; }

    public void Validate()
    {
        if (Paths.Count == 0 && Sources.Count == 0)
        {
            throw new Errors.UsageException("nothing to back up: give at least one path");
        }

        var duplicate = AllSources().GroupBy(s => s.SnapshotPath).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new Errors.UsageException($"two sources would be stored at {duplicate.Key}");
        }

        foreach (var tag in Tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Contains(','))
            {
                throw new Errors.UsageException($"tag '{tag}' is empty or contains a comma");
            }
        }
    }
}
