using System.Runtime.InteropServices;

namespace Stackvault.Compression;

/// <summary>
/// P/Invoke declarations for the system zstd library (libzstd.so.1, 1.4 or later). Every size_t is a nuint.
/// Function and constant names follow zstd.h so they can be looked up there.
/// </summary>
internal static unsafe partial class ZstdNative
{
    public const string LibraryName = "libzstd.so.1";

    /// <summary>ZSTD_c_compressionLevel.</summary>
    public const int CompressionLevelParameter = 100;

    /// <summary>ZSTD_c_checksumFlag.</summary>
    public const int ChecksumFlagParameter = 201;

    /// <summary>ZSTD_e_continue.</summary>
    public const int EndContinue = 0;

    /// <summary>ZSTD_e_flush.</summary>
    public const int EndFlush = 1;

    /// <summary>ZSTD_e_end.</summary>
    public const int EndFrame = 2;

    /// <summary>ZSTD_CONTENTSIZE_UNKNOWN.</summary>
    public const ulong ContentSizeUnknown = unchecked(0UL - 1);

    /// <summary>ZSTD_CONTENTSIZE_ERROR.</summary>
    public const ulong ContentSizeError = unchecked(0UL - 2);

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_versionString")]
    public static partial byte* VersionString();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_compressBound")]
    public static partial nuint CompressBound(nuint srcSize);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_getErrorName")]
    public static partial byte* GetErrorName(nuint code);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_minCLevel")]
    public static partial int MinCLevel();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_maxCLevel")]
    public static partial int MaxCLevel();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_createCCtx")]
    public static partial nint CreateCCtx();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_freeCCtx")]
    public static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_CCtx_setParameter")]
    public static partial nuint CCtxSetParameter(nint cctx, int parameter, int value);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_compress2")]
    public static partial nuint Compress2(nint cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_compressStream2")]
    public static partial nuint CompressStream2(nint cctx, OutBuffer* output, InBuffer* input, int endOp);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_CStreamOutSize")]
    public static partial nuint CStreamOutSize();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_createDCtx")]
    public static partial nint CreateDCtx();

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_freeDCtx")]
    public static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_decompressDCtx")]
    public static partial nuint DecompressDCtx(nint dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_getFrameContentSize")]
    public static partial ulong GetFrameContentSize(byte* src, nuint srcSize);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(nint dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(LibraryName, EntryPoint = "ZSTD_DStreamInSize")]
    public static partial nuint DStreamInSize();

    /// <summary>True when the size_t result is a zstd error code.</summary>
    public static bool Failed(nuint code) => IsError(code) != 0;

    /// <summary>The zstd name of an error code, e.g. "Destination buffer is too small".</summary>
    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? "unknown zstd error";
}
