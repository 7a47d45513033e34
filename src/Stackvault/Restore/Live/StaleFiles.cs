using Stackvault.Components;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

/// <summary>
/// <c>restore --component X --target DIR</c> into a directory an engine ran on: the engine's files that are not part
/// of a snapshot but change the meaning of what is (<see cref="EngineRestore.StaleFiles"/>: SQLite's -wal/-shm/-journal
/// beside grafana.db, a TSDB lock, a Loki WAL) are moved aside as <c>NAME.pre-restore-TIME</c> once the restored copy
/// is in place, with the stamp of the data they belonged to (so <c>restore --rollback</c> puts them back together).
/// One the snapshot holds was replaced by the restore itself (its old copy kept the same way) and is left alone.
/// </summary>
public static class StaleFiles
{
    /// <summary>Moves them aside; returns one line per file moved.</summary>
    public static IReadOnlyList<string> MoveAside(ComponentSection section, string target, RestorePlan plan, TimeProvider time)
    {
        var restored = plan.Files.Select(f => f.Path).Concat(plan.Directories.Select(d => d.Path)).Concat(plan.Others.Select(o => o.Path))
            .Select(p => p.TrimStart('/').Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        var moved = new List<string>();
        foreach (var name in ComponentLayout.StaleFiles(section))
        {
            var path = Path.Combine(target, name);
            if (restored.Contains(name) || !PreRestoreCopies.Exists(path))
            {
                continue;
            }

            var owner = restored.Where(r => name.StartsWith(r, StringComparison.Ordinal)).OrderByDescending(r => r.Length).FirstOrDefault();
            var stamp = owner is null ? null : PreRestoreCopies.Find(Path.Combine(target, owner)).Select(c => c.Stamp).Order(StringComparer.Ordinal).LastOrDefault();
            var aside = path + PreRestoreCopies.Marker + (stamp ?? PreRestoreCopies.Stamp(time));
            LiveFs.Move(path, aside);
            moved.Add($"{path} is not part of the snapshot and would change the restored data ({section.Type} would replay or honour it): moved aside as {Path.GetFileName(aside)}");
        }

        return moved;
    }
}
