using Stackvault.Buffers;
using Stackvault.Repository;

namespace Stackvault.Export;

/// <summary>
/// A file's content read blob by blob (one blob in memory at a time, each checked as it is decoded), forward only
/// with its length known (<see cref="ForwardOnlyStream"/>: the tar writer needs it to write the header first).
/// </summary>
internal sealed class BlobContentStream(Repository.Repository repository, IReadOnlyList<BlobLocation> blobs) : ForwardOnlyStream
{
    private readonly long _length = blobs.Sum(b => (long)b.RawLength);

    /// <summary>The content of a file node of a snapshot.</summary>
    public static BlobContentStream Of(Repository.Repository repository, Stackvault.Repository.Model.Node node) =>
        new(repository, (node.Content ?? []).Select(id => repository.Locate(id, BlobType.Data)).ToList());
    private byte[]? _buffer;
    private int _bufferLength;
    private int _bufferOffset;
    private int _next;

    public override long Length => _length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_bufferOffset == _bufferLength && _next < blobs.Count && blobs[_next].RawLength <= buffer.Length && blobs[_next].RawLength > 0)
        {
            // the caller's buffer holds the whole next blob (an upload's part buffer): decode straight into it, no
            // buffer of our own and no copy
            var location = blobs[_next++];
            await repository.ReadBlobAsync(location, buffer[..(int)location.RawLength], cancellationToken).ConfigureAwait(false);
            ReadSoFar += location.RawLength;
            return (int)location.RawLength;
        }

        while (_bufferOffset == _bufferLength)
        {
            if (_next == blobs.Count)
            {
                return 0;
            }

            var location = blobs[_next++];
            if (_buffer is null || _buffer.Length < location.RawLength)
            {
                ReleaseBuffer();
                _buffer = BufferPool.Rent((int)location.RawLength);
            }

            await repository.ReadBlobAsync(location, _buffer.AsMemory(0, (int)location.RawLength), cancellationToken).ConfigureAwait(false);
            _bufferLength = (int)location.RawLength;
            _bufferOffset = 0;
        }

        var n = Math.Min(buffer.Length, _bufferLength - _bufferOffset);
        _buffer.AsMemory(_bufferOffset, n).CopyTo(buffer);
        _bufferOffset += n;
        ReadSoFar += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        ReleaseBuffer();
        base.Dispose(disposing);
    }

    private void ReleaseBuffer()
    {
        if (_buffer is not null)
        {
            BufferPool.Return(_buffer);
            _buffer = null;
        }
    }
}
