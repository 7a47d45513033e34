using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Stackvault.Buckets;

/// <summary>
/// Shard <c>I/N</c> of a bucket: a unit (a block with its markers, or any other single object) belongs to shard
/// <c>hash(unit) mod N</c> (SHA-256, first 8 bytes big-endian), so N workers with I = 0..N-1 cover every unit once.
/// </summary>
public sealed record BucketShard(int Index, int Count)
{
    public static readonly BucketShard All = new(0, 1);

    public bool IsAll => Count == 1;

    public override string ToString() => $"{Index}/{Count}";

    public static BucketShard Parse(string? text)
    {
        if (text is null)
        {
            return All;
        }

        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000 && i >= 0 && i < n
            ? new BucketShard(i, n)
            : throw new Errors.UsageException($"invalid shard '{text}': use I/N with 0 <= I < N (e.g. 0/4)");
    }

    public bool Contains(string unit)
    {
        if (Count == 1)
        {
            return true;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(unit), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Count == (ulong)Index;
    }
}
