namespace Stackvault.Buckets;

/// <summary>
/// The outcome of scanning a bucket: every block with its state, overlaps per tenant, and the objects selected for a
/// backup (with what was left out and why).
/// </summary>
public sealed record BucketReport(
    string Source,
    BucketLayout Layout,
    BucketShard Shard,
    IReadOnlyList<BucketBlock> Blocks,
    IReadOnlyList<BlockOverlap> Overlaps,
    IReadOnlyList<BucketObject> Selected,
    IReadOnlyDictionary<string, int> LeftOut,
    int ObjectsListed)
{
    public int Count(string state) => Blocks.Count(b => b.State == state);

    public long SelectedBytes => Selected.Sum(o => o.Size);

    /// <summary>Corrupt blocks that were selected: they make a backup partial.</summary>
    public IEnumerable<BucketBlock> Problems => Blocks.Where(b => b.State == BlockState.Corrupt && b.Selected);

    /// <summary>Named counts for the snapshot's component section.</summary>
    public Dictionary<string, long> Checks()
    {
        var checks = new Dictionary<string, long>
        {
            ["objects_listed"] = ObjectsListed,
            ["objects"] = Selected.Count,
            ["bytes"] = SelectedBytes,
            ["tenants"] = Selected.Select(o => Layout.Classify(o.Key).Tenant).Where(t => t.Length > 0).Distinct().Count(),
        };
        if (Layout.HasBlocks)
        {
            foreach (var state in new[] { BlockState.Complete, BlockState.Partial, BlockState.Corrupt, BlockState.Marked })
            {
                checks["blocks_" + state] = Count(state);
            }

            checks["blocks_selected"] = Blocks.Count(b => b.Selected);
            checks["overlaps"] = Overlaps.Count;
        }

        foreach (var (reason, count) in LeftOut)
        {
            checks["left_out_" + reason] = count;
        }

        return checks;
    }
}
