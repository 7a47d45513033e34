namespace Stackvault.Buckets;

/// <summary>
/// An object's content as the backup reads it: forward only, but reporting the length the listing gave, so the
/// chunker sizes its buffer to the object (a 2 KiB meta.json gets a 4 KiB buffer, not the chunker's 8 MiB). Holds the
/// read budget's lease until disposed.
/// </summary>
internal sealed class ListedObjectStream(Stream inner, long length, IDisposable? lease) : Export.ForwardOnlyStream
{
    public override long Length => length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        ReadSoFar += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                inner.Dispose();
            }
            finally
            {
                lease?.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
