using Stackvault.Errors;

namespace Stackvault.Compression;

/// <summary>
/// One-shot zstd compression with a reused context. Not thread-safe: keep one per worker thread.
/// Each call writes one complete zstd frame that records its content size and an XXH64 content checksum.
/// </summary>
public sealed class ZstdCompressor : IDisposable
{
    private nint _cctx;

    public ZstdCompressor(int level)
    {
        Zstd.EnsureAvailable();
        int min = ZstdNative.MinCLevel(), max = ZstdNative.MaxCLevel();
        if (level < min || level > max)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd level must be in [{min}, {max}]");
        }

        _cctx = ZstdNative.CreateCCtx();
        if (_cctx == 0)
        {
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }

        Level = level;
        SetParameter(ZstdNative.CompressionLevelParameter, level);
        SetParameter(ZstdNative.ChecksumFlagParameter, 1);
    }

    ~ZstdCompressor() => Free();

    public int Level { get; }

    /// <summary>The native ZSTD_CCtx, for the streaming encoder.</summary>
    internal nint Context => _cctx != 0 ? _cctx : throw new ObjectDisposedException(nameof(ZstdCompressor));

    internal void SetParameter(int parameter, int value)
    {
        Check(ZstdNative.CCtxSetParameter(Context, parameter, value));
        GC.KeepAlive(this);
    }

    /// <summary>The largest frame <see cref="Compress"/> can produce for <paramref name="sourceLength"/> bytes.</summary>
    public static int CompressBound(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        Zstd.EnsureAvailable();
        var bound = ZstdNative.CompressBound((nuint)sourceLength);
        return bound > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(sourceLength)) : (int)bound;
    }

    /// <summary>Compresses <paramref name="source"/> into one frame; returns the bytes written to <paramref name="destination"/>.</summary>
    public unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_cctx == 0, this);
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            written = ZstdNative.Compress2(_cctx, dst, (nuint)destination.Length, src, (nuint)source.Length);
        }

        // The finalizer frees the context: keep this object alive until the native call has returned, or a GC
        // during Compress2 could free the context under it (the caller's last use may be this very call).
        GC.KeepAlive(this);
        Check(written);
        return (int)written;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    internal static nuint Check(nuint code) =>
        ZstdNative.Failed(code) ? throw new StackvaultException("zstd compression failed: " + ZstdNative.ErrorName(code)) : code;

    private void Free()
    {
        var cctx = Interlocked.Exchange(ref _cctx, 0);
        if (cctx != 0)
        {
            ZstdNative.FreeCCtx(cctx);
        }
    }
}
