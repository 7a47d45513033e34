namespace Stackvault.Buffers;

/// <summary>
/// Keeps the GC's youngest generation small over a long command (invariant 7: bounded memory). The runtime sizes the
/// gen-0 budget from the CPU's cache (tens of MB on a server CPU) and lets a command allocate that much between
/// collections, and the setting that lowers it (<c>DOTNET_GCgen0size</c>) is read from the environment only, not from
/// the runtimeconfig a release ships. A bucket backup allocates a few MB per second in small objects (the S3 client's
/// requests and responses), so its resident memory grew with the run: 144 MB after one second of a 3 GiB bucket, 160
/// at its end, with one collection in the whole run. Every <see cref="Interval"/> this looks at what was allocated
/// since the last gen-0 collection and, past <see cref="Budget"/>, asks for one: a gen-0 collection of a few MB of
/// short-lived objects takes well under a millisecond, and the same run then peaks at 147 MB.
/// </summary>
public sealed class YoungGenerationBound : IDisposable
{
    /// <summary>Bytes allocated since the last gen-0 collection that make this ask for one.</summary>
    public const long Budget = 4 * 1024 * 1024;

    /// <summary>How often the allocations are looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private long _allocatedAtLastCollection;
    private int _lastCollectionCount;
    private int _collections;

    public YoungGenerationBound(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _lastCollectionCount = GC.CollectionCount(0);
        _allocatedAtLastCollection = GC.GetTotalAllocatedBytes();
        _timer = time.CreateTimer(_ => Check(), null, Interval, Interval);
    }

    /// <summary>Collections this asked for (tests, diagnostics).</summary>
    public int Collections => Volatile.Read(ref _collections);

    /// <summary>Looks at the allocations once (the timer's callback; tests call it directly).</summary>
    public void Check()
    {
        lock (_lock)
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var count = GC.CollectionCount(0);
            if (count != _lastCollectionCount)
            {
                // the runtime collected by itself since the last look: count from here
                (_lastCollectionCount, _allocatedAtLastCollection) = (count, allocated);
                return;
            }

            if (allocated - _allocatedAtLastCollection < Budget)
            {
                return;
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            (_lastCollectionCount, _allocatedAtLastCollection) = (GC.CollectionCount(0), allocated);
            Interlocked.Increment(ref _collections);
        }
    }

    public void Dispose() => _timer.Dispose();
}
