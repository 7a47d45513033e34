using System.Threading.RateLimiting;
using Stackvault.Buffers;

namespace Stackvault.Buckets;

/// <summary>
/// One upload's buffer: an array from <see cref="BufferPool"/> and its bytes of a <see cref="ByteBudget"/>, given back
/// together, once (by <see cref="GiveBack"/> when the body is sent, or by disposing).
/// </summary>
internal sealed class UploadBuffer : IDisposable
{
    private RateLimitLease? _lease;

    private UploadBuffer(RateLimitLease lease, byte[] array)
    {
        _lease = lease;
        Array = array;
    }

    public byte[] Array { get; }

    /// <summary>True once the buffer is given back: nothing may read <see cref="Array"/> any more.</summary>
    public bool Given => Volatile.Read(ref _lease) is null;

    public static async ValueTask<UploadBuffer> TakeAsync(ByteBudget budget, int length, CancellationToken cancellationToken)
    {
        var lease = await budget.TakeAsync(ByteBudget.PooledCost(length), cancellationToken).ConfigureAwait(false);
        return new UploadBuffer(lease, BufferPool.Rent(length));
    }

    public void GiveBack()
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
        {
            BufferPool.Return(Array);
            lease.Dispose();
        }
    }

    public void Dispose() => GiveBack();
}
