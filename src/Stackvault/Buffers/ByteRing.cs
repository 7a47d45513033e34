namespace Stackvault.Buffers;

/// <summary>
/// A fixed amount of memory for buffers in flight, handed out as contiguous slices of one array: the budget and the
/// memory are the same thing. A slice is taken where the previous one ended (wrapping to the start when the end of the
/// array is too short) and given back by disposing its lease, in any order; the space is reused once every older
/// slice is given back too. Waiters are served oldest first, so a large request is not starved by small ones.
/// Unlike a pool of power-of-two arrays, which keeps the arrays of every size it ever handed out (so its memory grows
/// with the variety of sizes a larger data set brings), the ring never holds more than <see cref="Capacity"/> bytes,
/// whatever sizes pass through it, and makes no garbage.
/// </summary>
public sealed class ByteRing
{
    private readonly Lock _lock = new();
    private readonly Queue<Lease> _taken = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private byte[]? _array;
    private int _head;
    private long _peak;

    public ByteRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// Bytes not free for the next slice: from the oldest slice not given back to the head, with the space skipped at
    /// the end of the array before a wrap and slices given back behind the oldest one.
    /// </summary>
    public long BytesInUse
    {
        get
        {
            lock (_lock)
            {
                return Used();
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
            lease.Released = true;
            while (_taken.TryPeek(out var oldest) && oldest.Released)
            {
                _taken.Dequeue();
            }

            if (_taken.Count == 0)
            {
                _head = 0;
            }

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

    /// <summary>Takes <paramref name="length"/> bytes after the head, or from the start when the end is too short; null when they do not fit. Under the lock.</summary>
    private Lease? TryTake(int requested)
    {
        var length = Math.Max(requested, 1); // an empty slice still takes a byte, so the head moves past the oldest
        var tail = _taken.TryPeek(out var oldest) ? oldest.Start : _head;
        var empty = _taken.Count == 0;
        int start;
        if (empty || _head > tail)
        {
            // free: [head, capacity) and [0, tail)
            if (Capacity - _head >= length)
            {
                start = _head;
            }
            else if (tail >= length || (empty && Capacity >= length))
            {
                start = 0;
            }
            else
            {
                return null;
            }
        }
        else if (_head < tail && tail - _head >= length)
        {
            start = _head;
        }
        else
        {
            return null; // head == tail with slices taken: full
        }

        _array ??= GC.AllocateUninitializedArray<byte>(Capacity);
        var lease = new Lease(this, _array, start, requested);
        _taken.Enqueue(lease);
        _head = start + length;
        _peak = Math.Max(_peak, Used());
        return lease;
    }

    /// <summary>Bytes from the oldest slice to the head, around the end of the array; under the lock.</summary>
    private long Used()
    {
        if (!_taken.TryPeek(out var oldest))
        {
            return 0;
        }

        return _head > oldest.Start ? _head - oldest.Start : Capacity - oldest.Start + _head;
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

        internal bool Released { get; set; }

        public void Dispose() => Interlocked.Exchange(ref _ring, null)?.Give(this);
    }

    private sealed class Waiter(int length) : TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Length { get; } = length;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
