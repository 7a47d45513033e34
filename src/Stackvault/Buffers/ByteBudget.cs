using System.Numerics;
using System.Threading.RateLimiting;

namespace Stackvault.Buffers;

/// <summary>
/// Bounds the bytes of buffers in flight, rather than the number of transfers: a <see cref="ConcurrencyLimiter"/>
/// whose permits are bytes. Each user takes the bytes its buffers cost before it reads into them and gives them back
/// (disposes the lease) when done. Waiters are served oldest first, so a large request is not starved by small ones;
/// a request larger than the whole budget takes all of it. A cancelled waiter leaves at once and is never served; the
/// limiter serves the waiters behind it at the next give-back (a waiter is queued only while bytes are held).
/// </summary>
public sealed class ByteBudget : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public ByteBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, int.MaxValue);
        Capacity = capacity;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = (int)capacity,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = int.MaxValue,
        });
    }

    public long Capacity { get; }

    /// <summary>Waits until <paramref name="bytes"/> (clamped to the capacity) are free and takes them; dispose the lease to give them back.</summary>
    public async ValueTask<RateLimitLease> TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync((int)Math.Clamp(bytes, 0, Capacity), cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ObjectDisposedException(nameof(ByteBudget));
        }

        return lease;
    }

    /// <summary>
    /// What a buffer of <paramref name="length"/> bytes rented from <see cref="BufferPool"/> costs: the pool hands out
    /// power-of-two arrays (at least 4 KiB here).
    /// </summary>
    public static long PooledCost(long length) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(length, 4096));

    public void Dispose() => _limiter.Dispose();
}
