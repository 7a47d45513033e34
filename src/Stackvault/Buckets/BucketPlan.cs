using Stackvault.Buffers;
using Stackvault.Backup;
using Stackvault.Chunking;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

/// <summary>
/// A scanned bucket ready to back up: one virtual-directory source at <c>/&lt;name&gt;</c> holding the selected
/// objects under their keys, and the component section with the block report's counts. Corrupt blocks make the
/// section (hence the snapshot) partial, one snapshot error per block.
/// </summary>
public sealed record BucketPlan(BackupSource Source, ComponentSection Section, BucketReport Report, BucketFreshness? Freshness)
{
    public const string ShardTagPrefix = "shard=";

    private const string FlushFailed = "ingester flush failed: ";

    /// <summary>The section's method, which also records the layout for <c>bucket restore</c>.</summary>
    public static string MethodOf(BucketLayout layout) => "bucket-" + layout.Name;

    /// <summary>
    /// Whether <paramref name="section"/> is a bucket section named <paramref name="name"/> of the bucket at
    /// <paramref name="location"/> that did not fail: a run whose snapshot can give a later run its unchanged objects.
    /// </summary>
    public static bool IsRunOf(ComponentSection section, string name, string location) =>
        section.Type == Configuration.BucketComponent.TypeName && section.Name == name && section.Source == location && section.Status != ComponentStatus.Failed;

    public static BucketLayout? LayoutOf(ComponentSection section) =>
        section.Type == Configuration.BucketComponent.TypeName && section.Method.StartsWith("bucket-", StringComparison.Ordinal) ? BucketLayout.Find(section.Method["bucket-".Length..]) : null;

    /// <summary>
    /// Asks the ingesters to flush first when <see cref="BucketScanOptions.FlushUrl"/> is set (a failure makes the
    /// section partial), scans, and on the mimir/cortex layouts records how far the bucket lags behind
    /// <paramref name="time"/>'s now (<see cref="BucketFreshness"/>). Unchanged meta.json files come from
    /// <paramref name="parent"/> (null: all from the bucket). <paramref name="chunker"/> is the repository's (its
    /// maximum chunk size sizes the read buffers; null: the default).
    /// </summary>
    public static async ValueTask<BucketPlan> CreateAsync(string name, IBucketStore store, BucketScanOptions options, TimeProvider time, ParentObjects? parent, ChunkerParameters? chunker, CancellationToken cancellationToken) =>
        Create(name, store, await BucketScan.RunAsync(store, options, time, parent, cancellationToken).ConfigureAwait(false), chunker);

    /// <summary>The plan of a finished <paramref name="scan"/> of <paramref name="store"/>; <paramref name="chunker"/> as in <see cref="CreateAsync"/>.</summary>
    public static BucketPlan Create(string name, IBucketStore store, BucketScan scan, ChunkerParameters? chunker)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scan);
        var report = scan.Report;
        var reads = new ByteBudget(ReadBudget);
        var files = report.Selected.Select(o => new VirtualFile(o.Key, o.Size, o.Modified, o.Etag, Opener(store, o, scan.Held, reads, ReadCost(o.Size, chunker ?? ChunkerParameters.Default)))).ToList();
        var section = new ComponentSection
        {
            Name = name,
            Type = Configuration.BucketComponent.TypeName,
            Method = MethodOf(scan.Options.Layout),
            Source = store.Location,
            SnapshotPath = "/" + name,
            Status = ComponentStatus.Complete,
            Checks = report.Checks(),
            DurationSeconds = scan.Duration.TotalSeconds,
        };
        scan.Freshness?.AddTo(section.Checks!);
        var problems = report.Problems.ToList();
        if (problems.Count > 0)
        {
            section.Status = ComponentStatus.Partial;
            section.Error = $"{problems.Count} corrupt block(s), first: {BlockPath(problems[0])}: {problems[0].Problem}";
        }

        if (scan.FlushError is not null)
        {
            section.Status = ComponentStatus.Partial;
            section.Error = (section.Error is null ? string.Empty : section.Error + "; ") + FlushFailed + scan.FlushError;
        }

        return new BucketPlan(BackupSource.FromFiles("/" + name, files), section, report, scan.Freshness);
    }

    /// <summary>
    /// The bytes of read buffers in flight during a backup, whatever --concurrency says (that bounds the objects, hence
    /// the connections): the chunker holds one buffer per object being read (<see cref="ReadCost"/>), 2 MiB for a
    /// large object with the default chunker, so eight large objects are read at once. Each object's reader checks its
    /// MD5 against the ETag, and the MD5s of objects read at once are computed side by side in vector lanes
    /// (<see cref="Crypto.Md5.Md5Lanes"/>: eight streams cost about a quarter of one each), so the more objects are
    /// read together, the less the check costs. When the 8 MiB maximum chunk held one buffer per object, two fitted.
    /// A chunk longer than twice the average (about 1 in 55, or a run of zeros) takes a full-size buffer for as long
    /// as it lasts, from the backup's own budget of two (<see cref="Backup.FileArchiver.FullBuffersInFlight"/>).
    /// </summary>
    public const long ReadBudget = 16L * 1024 * 1024;

    /// <summary>
    /// The read budget an object takes: the chunker's first buffer for it as the pool hands it out (up to 1 MiB the
    /// object's size plus one rounded up to a power of two, above it twice the average chunk), not the object's size.
    /// </summary>
    public static long ReadCost(long size, ChunkerParameters chunker) => ByteBudget.PooledCost(ChunkReader.BufferLength(size, chunker));

    /// <summary>
    /// A meta.json the scan already read is stored from those bytes, not downloaded a second time. Any other object's
    /// GET is sent at once, but the object is handed to the chunker only once its read buffer fits in
    /// <paramref name="reads"/>: the first byte's latency overlaps the other objects' reads, and until then the body
    /// waits in the socket, not in memory of ours (a connection the server closes meanwhile is resumed by the store).
    /// </summary>
    private static Func<CancellationToken, ValueTask<Stream>> Opener(IBucketStore store, BucketObject item, IReadOnlyDictionary<string, byte[]> held, ByteBudget reads, long cost) =>
        held.TryGetValue(item.Key, out var bytes)
            ? _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : async ct =>
            {
                var opening = store.OpenReadAsync(item.Key, ct).AsTask();
                IDisposable lease;
                try
                {
                    lease = await reads.TakeAsync(cost, ct).ConfigureAwait(false);
                }
                catch
                {
                    _ = opening.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    throw;
                }

                try
                {
                    return new ListedObjectStream(await opening.ConfigureAwait(false), item.Size, lease);
                }
                catch
                {
                    lease.Dispose();
                    throw;
                }
            };

    /// <summary>Adds the section and one error per corrupt block to a finished manifest.</summary>
    public Snapshot Finish(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var block in Report.Problems)
        {
            snapshot.Errors.Add(new SnapshotError { Path = Section.SnapshotPath + "/" + BlockPath(block), Message = "corrupt block: " + block.Problem });
        }

        if (Freshness?.FlushError is { } flushError)
        {
            snapshot.Errors.Add(new SnapshotError { Path = Section.SnapshotPath, Message = FlushFailed + flushError + " (the newest samples, about the last two hours, are not in this backup)" });
        }

        var engineErrors = snapshot.Errors.Count(e => e.Path.StartsWith(Section.SnapshotPath + "/", StringComparison.Ordinal) && !e.Message.StartsWith("corrupt block: ", StringComparison.Ordinal));
        if (engineErrors > 0)
        {
            Section.Status = ComponentStatus.Partial;
            Section.Error = (Section.Error is null ? string.Empty : Section.Error + "; ") + $"{engineErrors} object(s) unreadable";
        }

        snapshot.Components = [Section];
        if (Section.Status != ComponentStatus.Complete)
        {
            snapshot.Status = SnapshotStatus.Partial;
        }

        return snapshot;
    }

    public static string BlockPath(BucketBlock block) => block.Tenant.Length == 0 ? block.Id : block.Tenant + "/" + block.Id;
}
