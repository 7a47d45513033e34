using Stackvault.Repository;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>Assigns each used blob to the pack the master index resolves it to, then classifies every pack.</summary>
    private PrunePlan Plan(HashSet<ObjectId> used)
    {
        foreach (var id in used)
        {
            repository.Index.TryGet(id, out var l);
            _packs[repository.Index.PackId(l.PackIndex)].Used.Add(new PackEntry(l.Id, l.Type, l.Flags, l.Offset, l.Length, l.RawLength));
        }

        var plan = new PrunePlan();
        foreach (var pack in _packs.Values.OrderBy(p => p.PackId))
        {
            if (!_stored.ContainsKey(pack.PackId))
            {
                if (!pack.IsUnused)
                {
                    throw Refuse($"pack {pack.PackId.ToShortString()} is indexed but missing, and snapshots need {pack.Used.Count} of its blobs");
                }

                plan.Missing.Add(pack);
            }
            else if (pack.IsUnused)
            {
                plan.Unused.Add(pack);
            }
            else
            {
                plan.Keep.Add(pack);
            }
        }

        // Repack the most wasteful partly used packs while the unused share of the kept bytes exceeds the limit.
        var total = plan.Keep.Sum(p => p.Size);
        var unused = plan.Keep.Sum(p => p.UnusedBytes);
        _result.BytesUnusedBefore = unused + plan.Unused.Sum(p => p.Size);
        foreach (var pack in plan.Keep.Where(p => !p.IsFullyUsed).OrderByDescending(p => p.UnusedBytes).ThenBy(p => p.PackId).ToList())
        {
            if (unused <= options.MaxUnusedPercent / 100 * total)
            {
                break;
            }

            plan.Keep.Remove(pack);
            plan.Repack.Add(pack);
            unused -= pack.UnusedBytes;
            total -= pack.Size - pack.UsedBytes;
        }

        foreach (var orphan in _stored.Keys.Where(id => !_packs.ContainsKey(id)).Order())
        {
            (_pendingOrphans.Contains(orphan) ? plan.DeletableOrphans : plan.NewOrphans).Add(orphan);
        }

        _result.PacksKept = plan.Keep.Count;
        _result.PacksUnused = plan.Unused.Count;
        _result.PacksRepacked = plan.Repack.Count;
        _result.IndexedPacksMissing = plan.Missing.Count;
        _result.OrphansDeleted = plan.DeletableOrphans.Count;
        _result.OrphansPending = plan.NewOrphans.Count;
        _result.BytesRepacked = plan.Repack.Sum(p => p.UsedBytes);
        _result.BytesDeleted = plan.Unused.Concat(plan.Repack).Sum(p => p.Size) + plan.DeletableOrphans.Sum(id => _stored[id]);
        _result.PacksDeleted = plan.Unused.Count + plan.Repack.Count + plan.DeletableOrphans.Count;
        Log?.Invoke($"packs: {plan.Keep.Count} kept, {plan.Repack.Count} to repack, {plan.Unused.Count} unused, " +
            $"{plan.DeletableOrphans.Count} orphans to delete, {plan.NewOrphans.Count} new orphans (deleted by the next prune if still unindexed)");
        return plan;
    }
}
