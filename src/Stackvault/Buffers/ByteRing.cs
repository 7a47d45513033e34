namespace Stackvault.Buffers;

/// <summary>
/// A fixed amount of memory for buffers in flight, handed out as contiguous slices of one array: the budget and the
/// memory are the same thing. A slice is taken at the lowest offset where it fits (first fit) and given back by
/// disposing its lease, in any order; the bytes are free again at once. So the array's resident part is the most
/// that was ever in flight at once, never more than <see cref="Capacity"/> bytes, whatever sizes pass through.
/// Waiters are served oldest first, so a large request is not starved by small ones.
/// Unlike a pool of power-of-two arrays, which keeps the arrays of every size it ever handed out (so its memory grows
/// with the variety of sizes a larger data set brings), the ring holds one array and makes no garbage.
/// </summary>
public sealed class ByteRing
{
    private readonly Lock _lock = new();
    private readonly List<Lease> _taken = []; // by offset
    private readonly LinkedList<Waiter> _waiters = new();
    private byte[]? _array;
    private int _highWater;
    private long _used;
    private long _peak;

    public ByteRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Bytes held by leases not given back.</summary>
    public long BytesInUse
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>The highest offset any slice has reached: the part of the array ever touched.</summary>
    public int HighWater
    {
        get
        {
            lock (_lock)
            {
                return _highWater;
            }
        }
    }

    /// <summary>The most <see cref="BytesInUse"/> has been.</summary>
    public long PeakBytesInUse
    {
        get
        {
            lock (_lock)
            {
                return _peak;
            }
        }
    }

    /// <summary>Waits until <paramref name="length"/> contiguous bytes are free and takes them; dispose the lease to give them back.</summary>
    public ValueTask<Lease> TakeAsync(int length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Capacity);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && TryTake(length) is { } lease)
            {
                return ValueTask.FromResult(lease);
            }

            waiter = new Waiter(length);
            waiter.Node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        }

        return new ValueTask<Lease>(waiter.Task);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        List<(Waiter, Lease)> served;
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return; // served already: the lease belongs to the caller
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            served = ServeWaiters(); // the cancelled waiter may have blocked smaller ones behind it
        }

        waiter.TrySetCanceled(cancellationToken);
        Complete(served);
    }

    private static void Complete(List<(Waiter, Lease)> served)
    {
        foreach (var (waiter, taken) in served)
        {
            waiter.Registration.Dispose();
            waiter.TrySetResult(taken);
        }
    }

    private void Give(Lease lease)
    {
        List<(Waiter, Lease)> served;
        lock (_lock)
        {
            _taken.Remove(lease);
            _used -= lease.Footprint;
            served = ServeWaiters();
        }

        Complete(served);
    }

    /// <summary>Takes space for the waiters at the front of the queue while it fits; called under the lock.</summary>
    private List<(Waiter, Lease)> ServeWaiters()
    {
        var served = new List<(Waiter, Lease)>();
        while (_waiters.First is { } first && TryTake(first.Value.Length) is { } lease)
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            served.Add((first.Value, lease));
        }

        return served;
    }

    /// <summary>Takes <paramref name="requested"/> bytes at the lowest offset where they fit; null when they do not. Under the lock.</summary>
    private Lease? TryTake(int requested)
    {
        var length = Math.Max(requested, 1); // an empty slice still takes a byte, so it has a place of its own
        var start = 0;
        var index = 0;
        for (; index < _taken.Count; index++)
        {
            if (_taken[index].Start - start >= length)
            {
                break;
            }

            start = _taken[index].Start + _taken[index].Footprint;
        }

        if (Capacity - start < length)
        {
            return null;
        }

        _array ??= GC.AllocateUninitializedArray<byte>(Capacity);
        var lease = new Lease(this, _array, start, requested);
        _taken.Insert(index, lease);
        _used += length;
        _peak = Math.Max(_peak, _used);
        _highWater = Math.Max(_highWater, start + length);
        return lease;
    }

    /// <summary>A slice of the ring; dispose it (once) to give the bytes back.</summary>
    public sealed class Lease : IDisposable
    {
        private ByteRing? _ring;

        internal Lease(ByteRing ring, byte[] array, int start, int length)
        {
            _ring = ring;
            Array = array;
            Start = start;
            Length = length;
        }

        public Memory<byte> Memory => _ring is not null ? Array.AsMemory(Start, Length) : throw new ObjectDisposedException(nameof(Lease));

        public int Length { get; }

        internal byte[] Array { get; }

        internal int Start { get; }

        /// <summary>The bytes the slice occupies (an empty one takes one).</summary>
        internal int Footprint => Math.Max(Length, 1);

        public void Dispose() => Interlocked.Exchange(ref _ring, null)?.Give(this);
    }

    private sealed class Waiter(int length) : TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Length { get; } = length;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
