using System.Buffers;

namespace Stackvault.Buffers;

/// <summary>
/// The pool for chunk-sized and pack-sized buffers. ArrayPool.Shared keeps one array per size per thread plus
/// per-core stacks, so with a dozen thread-pool threads touching 1-16 MiB arrays it can hold hundreds of MB that no
/// one uses (invariant 7: bounded memory). This pool has no per-thread caches and keeps at most
/// <see cref="ArraysPerSize"/> arrays of each power-of-two size; beyond that, returned arrays are left to the GC.
/// </summary>
public static class BufferPool
{
    public const int MaxArrayLength = 32 * 1024 * 1024;
    public const int ArraysPerSize = 6;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxArrayLength, ArraysPerSize);

    public static byte[] Rent(int minimumLength) => Pool.Rent(minimumLength);

    public static void Return(byte[] array) => Pool.Return(array);
}
