using Stackvault.Repository;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>Assigns each used blob to the pack the master index resolves it to, then classifies every pack.</summary>
    private PrunePlan Plan(HashSet<ObjectId> used)
    {
        foreach (var id in used)
        {
            if (!repository.Index.TryGet(id, out var l))
            {
                continue; // lost (reported by the marking step)
            }

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

        // An orphan (a pack in no live index) was uploaded by a writer that held a lock before ours: every such writer
        // is gone now (our exclusive lock conflicts with any live one, and a writer that lost its lease stops before
        // its next write), so nothing can name it any more. It is deleted by this prune (invariant 4 holds: no backup
        // is in flight). Recording it as pending as well lets the next prune finish the job if this one is killed.
        foreach (var orphan in _stored.Keys.Where(id => !_packs.ContainsKey(id)).Order())
        {
            plan.DeletableOrphans.Add(orphan);
        }

        if (_result.UnreadableSnapshots.Count > 0 && plan.Unused.Count + plan.Repack.Count > 0)
        {
            // What an unreadable snapshot references is unknown: keep every indexed pack until the snapshot is
            // restored from a copy or removed ('repair snapshots --forget'). Orphans and leftovers still go.
            repository.Warn?.Invoke($"{_result.UnreadableSnapshots.Count} snapshots are unreadable: prune keeps every indexed pack ({plan.Unused.Count} unused, {plan.Repack.Count} to repack) until they are repaired");
            plan.Keep.AddRange(plan.Unused.Concat(plan.Repack));
            plan.Unused.Clear();
            plan.Repack.Clear();
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
