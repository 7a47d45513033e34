namespace Stackvault.Chunking;

/// <summary>
/// Chunk size limits for FastCDC, stored in the repository config. AvgSize is a power of two and
/// 1 &lt;= MinSize &lt; AvgSize &lt; MaxSize &lt;= 64 MiB.
/// </summary>
public sealed record ChunkerParameters
{
    public const int MaxMaxSize = 64 << 20;

    public ChunkerParameters(int MinSize, int AvgSize, int MaxSize)
    {
        if (AvgSize < 4 || !int.IsPow2(AvgSize))
        {
            throw new ArgumentException($"AvgSize must be a power of two of at least 4, got {AvgSize}", nameof(AvgSize));
        }

        if (MinSize < 1 || MinSize >= AvgSize)
        {
            throw new ArgumentException($"MinSize must be at least 1 and less than AvgSize ({AvgSize}), got {MinSize}", nameof(MinSize));
        }

        if (MaxSize <= AvgSize || MaxSize > MaxMaxSize)
        {
            throw new ArgumentException($"MaxSize must be greater than AvgSize ({AvgSize}) and at most {MaxMaxSize}, got {MaxSize}", nameof(MaxSize));
        }

        this.MinSize = MinSize;
        this.AvgSize = AvgSize;
        this.MaxSize = MaxSize;
    }

    /// <summary>512 KiB / 1 MiB / 8 MiB.</summary>
    public static ChunkerParameters Default { get; } = new(512 << 10, 1 << 20, 8 << 20);

    public int MinSize { get; }

    public int AvgSize { get; }

    public int MaxSize { get; }

    public void Deconstruct(out int minSize, out int avgSize, out int maxSize) =>
        (minSize, avgSize, maxSize) = (MinSize, AvgSize, MaxSize);
}
