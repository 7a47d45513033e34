using System.Numerics;

namespace Stackvault.Buckets;

/// <summary>
/// Bounds the bytes of buffers in flight, rather than the number of objects: each transfer takes the bytes its buffer
/// costs before it starts and gives them back when done. Waiters are served first come, first served (a large request
/// is not starved by small ones); a request larger than the whole budget takes all of it.
/// </summary>
public sealed class ByteBudget(long capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Bytes, TaskCompletionSource<Lease> Ready)> _waiters = new();
    private long _inFlight;
    private long _peak;

    public long Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Bytes taken now.</summary>
    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>The most bytes ever taken at once (tests and diagnostics).</summary>
    public long Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    /// <summary>
    /// What a buffer of <paramref name="length"/> bytes rented from <see cref="Buffers.BufferPool"/> costs: the pool
    /// hands out power-of-two arrays (at least 4 KiB here).
    /// </summary>
    public static long PooledCost(long length) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(length, 4096));

    /// <summary>Waits until <paramref name="bytes"/> (at most the capacity) are free and takes them; dispose the lease to give them back.</summary>
    public ValueTask<Lease> TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Clamp(bytes, 0, Capacity);
        TaskCompletionSource<Lease> ready;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inFlight + bytes <= Capacity)
            {
                return ValueTask.FromResult(TakeLocked(bytes));
            }

            ready = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((bytes, ready));
        }

        return WaitAsync(ready, cancellationToken);
    }

    private async ValueTask<Lease> WaitAsync(TaskCompletionSource<Lease> ready, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() =>
        {
            if (ready.TrySetCanceled(cancellationToken))
            {
                Pump(); // a cancelled waiter at the head no longer holds back the ones behind it
            }
        }).ConfigureAwait(false))
        {
            return await ready.Task.ConfigureAwait(false);
        }
    }

    private Lease TakeLocked(long bytes)
    {
        _inFlight += bytes;
        _peak = Math.Max(_peak, _inFlight);
        return new Lease(this, bytes);
    }

    private void Give(long bytes)
    {
        lock (_gate)
        {
            _inFlight -= bytes;
        }

        Pump();
    }

    private void Pump()
    {
        var granted = new List<(TaskCompletionSource<Lease> Ready, Lease Lease)>();
        lock (_gate)
        {
            while (_waiters.TryPeek(out var head) && (head.Ready.Task.IsCompleted || _inFlight + head.Bytes <= Capacity))
            {
                _waiters.Dequeue();
                if (!head.Ready.Task.IsCompleted)
                {
                    granted.Add((head.Ready, TakeLocked(head.Bytes)));
                }
            }
        }

        foreach (var (ready, lease) in granted)
        {
            if (!ready.TrySetResult(lease))
            {
                lease.Dispose(); // cancelled in between
            }
        }
    }

    /// <summary>Bytes taken from a budget; disposing gives them back (once).</summary>
    public sealed class Lease : IDisposable
    {
        private ByteBudget? _budget;

        internal Lease(ByteBudget budget, long bytes)
        {
            _budget = budget;
            Bytes = bytes;
        }

        public long Bytes { get; }

        public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Give(Bytes);
    }
}
