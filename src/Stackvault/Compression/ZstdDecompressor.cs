namespace Stackvault.Compression;

/// <summary>
/// One-shot zstd decompression with a reused context. Not thread-safe: keep one per worker thread.
/// The caller knows the raw length; any other outcome is reported as <see cref="InvalidDataException"/>.
/// </summary>
public sealed class ZstdDecompressor : IDisposable
{
    private nint _dctx;

    public ZstdDecompressor()
    {
        Zstd.EnsureAvailable();
        _dctx = ZstdNative.CreateDCtx();
        if (_dctx == 0)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
        }
    }

    ~ZstdDecompressor() => Free();

    /// <summary>The native ZSTD_DCtx, for the streaming decoder.</summary>
    internal nint Context => _dctx != 0 ? _dctx : throw new ObjectDisposedException(nameof(ZstdDecompressor));

    /// <summary>
    /// Decompresses <paramref name="frame"/> into exactly <paramref name="destination"/>.Length bytes and returns that count.
    /// Throws <see cref="InvalidDataException"/> on a zstd error or when the content has another length.
    /// </summary>
    public unsafe int Decompress(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_dctx == 0, this);
        nuint written;
        fixed (byte* src = frame)
        fixed (byte* dst = destination)
        {
            var declared = ZstdNative.GetFrameContentSize(src, (nuint)frame.Length);
            if (declared == ZstdNative.ContentSizeError)
            {
                throw new InvalidDataException("not a zstd frame (bad magic number or truncated header)");
            }

            if (declared != ZstdNative.ContentSizeUnknown && declared != (ulong)destination.Length)
            {
                throw new InvalidDataException($"zstd frame declares {declared} bytes, expected {destination.Length}");
            }

            written = ZstdNative.DecompressDCtx(_dctx, dst, (nuint)destination.Length, src, (nuint)frame.Length);
        }

        GC.KeepAlive(this); // see ZstdCompressor.Compress: the finalizer must not free the context mid-call

        if (ZstdNative.Failed(written))
        {
            throw new InvalidDataException($"zstd decompression failed: {ZstdNative.ErrorName(written)} (expected {destination.Length} bytes)");
        }

        if (written != (nuint)destination.Length)
        {
            throw new InvalidDataException($"zstd frame decompressed to {written} bytes, expected {destination.Length}");
        }

        return (int)written;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var dctx = Interlocked.Exchange(ref _dctx, 0);
        if (dctx != 0)
        {
            ZstdNative.FreeDCtx(dctx);
        }
    }
}
