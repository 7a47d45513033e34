using Stackvault.Crypto;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Tests.Repository;

/// <summary>
/// A pack whose reserved write failed is never finished, and the error it finishes with names that write's cause:
/// workers write their blobs side by side, so the worker finishing the pack may report first, and its message alone
/// must tell the operator what went wrong (a full disk, a lost mount), not only that a blob is missing.
/// </summary>
public sealed class PackBuilderFailureTests
{
    private sealed class FailingWrites() : PackBuilder(null!, ContentHash.Blake3)
    {
        private readonly byte[] _bytes = new byte[1 << 16];

        public bool FailNext { get; set; }

        public override ValueTask SaveAsync(ObjectHandle handle, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override void WriteCore(ReadOnlySpan<byte> data, int offset)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("No space left on device (simulated)");
            }

            data.CopyTo(_bytes.AsSpan(offset));
        }

        protected override bool IsReady(int length) => length <= _bytes.Length;

        protected override void Prepare(int length) => throw new InvalidOperationException("the test's pack does not grow");
    }

    [Fact]
    public async Task FinishAsync_AfterAFailedReservedWrite_ThrowsNamingTheCause_AndAResetPackFinishesAgain()
    {
        using var pack = new FailingWrites();
        var blob = new byte[100];
        var first = pack.Reserve(blob, default, BlobType.Data, BlobFlags.None, blob.Length);
        var second = pack.Reserve(blob, default, BlobType.Data, BlobFlags.None, blob.Length);
        pack.FailNext = true;
        var cause = Assert.Throws<IOException>(() => pack.WriteReserved(blob, first));
        pack.WriteReserved(blob, second);

        var finish = await Assert.ThrowsAsync<InvalidOperationException>(() => pack.FinishAsync(new ObjectCipher(null)).AsTask());
        Assert.Contains("a blob of the pack was not written", finish.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device (simulated)", finish.Message, StringComparison.Ordinal);
        Assert.Same(cause, finish.InnerException);

        pack.Reset();
        var again = pack.Reserve(blob, default, BlobType.Data, BlobFlags.None, blob.Length);
        pack.WriteReserved(blob, again);
        await pack.FinishAsync(new ObjectCipher(null));
        Assert.NotEqual(default, pack.Id);
    }
}
