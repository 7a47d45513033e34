using Microsoft.Win32.SafeHandles;

namespace Stackvault.Restore;

/// <summary>
/// Writes the non-zero runs of a chunk, in segments of <see cref="Segment"/> bytes, and skips all-zero segments so
/// holes stay holes; the file was created at its final length.
/// </summary>
internal static class SparseWrite
{
    public const int Segment = 64 * 1024;

    public static void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset)
    {
        var position = 0;
        while (position < data.Length)
        {
            while (position < data.Length && !data.Slice(position, Math.Min(Segment, data.Length - position)).ContainsAnyExcept((byte)0))
            {
                position += Segment;
            }

            var start = position;
            while (position < data.Length && data.Slice(position, Math.Min(Segment, data.Length - position)).ContainsAnyExcept((byte)0))
            {
                position += Segment;
            }

            var end = Math.Min(position, data.Length);
            if (end > start)
            {
                RandomAccess.Write(handle, data[start..end], offset + start);
            }
        }
    }
}
