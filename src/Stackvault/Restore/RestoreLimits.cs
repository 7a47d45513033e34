namespace Stackvault.Restore;

/// <summary>
/// Bounds on what a restore reads and plans, so a crafted snapshot costs bounded memory and time (docs/design.md,
/// "Restore"): trees are untrusted input.
/// </summary>
public static class RestoreLimits
{
    /// <summary>Deepest directory nesting restored (a chain deeper than this is refused before it costs memory).</summary>
    public const int MaxDepth = 1024;

    /// <summary>Longest path inside the target, in UTF-8 bytes (Linux PATH_MAX is 4096 including the target).</summary>
    public const int MaxPathBytes = 4000;

    /// <summary>
    /// A snapshot's trees may expand (a tree referenced from several directories is visited once per reference) to
    /// at most this many entries, or <see cref="MaxExpansionRatio"/> times the entries of its distinct trees if that
    /// is more: 31 tree blobs referencing each other twice over would otherwise plan 2^30 paths.
    /// </summary>
    public const long MaxExpandedEntries = 1_000_000;

    public const long MaxExpansionRatio = 64;

    /// <summary>Blobs of one pack closer than this are fetched by one read (the gap is read and dropped).</summary>
    public const int RangeGap = 256 * 1024;

    /// <summary>The most bytes one read fetches (a larger single blob is read alone).</summary>
    public const int RangeBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The most bytes of read and plaintext buffers of ranges in flight (or one large range's, if more): about two
    /// ranges of 8 MiB chunks at once, and many small ones, whatever --concurrency says.
    /// </summary>
    public const long BytesInFlight = 40L * 1024 * 1024;
}
