using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Copy;

/// <summary>
/// Which source snapshots a copy considers: the named ones (ids, unique prefixes of at least 4 hex digits, or
/// <c>latest</c>), else all; then only those of <see cref="Host"/> and carrying every tag in <see cref="Tags"/>; with
/// <see cref="LatestOnly"/>, only the newest that remains. Snapshots already in the destination are skipped later.
/// </summary>
public sealed record CopySelection
{
    public IReadOnlyList<string> Snapshots { get; init; } = [];

    public string? Host { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool LatestOnly { get; init; }

    /// <summary>Applies the selection to the source's snapshots (oldest first); returns them oldest first.</summary>
    /// <exception cref="StackvaultException">A reference matches no snapshot (exit 1) or several, or is too short (exit 2).</exception>
    public IReadOnlyList<(ObjectId Id, Snapshot Snapshot)> Apply(IReadOnlyList<(ObjectId Id, Snapshot Snapshot)> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        var filtered = all.Where(s => (Host is null || s.Snapshot.Hostname == Host) && Tags.All(t => s.Snapshot.Tags.Contains(t))).ToList();
        if (Snapshots.Count > 0)
        {
            var chosen = new HashSet<ObjectId>();
            foreach (var reference in Snapshots)
            {
                chosen.Add(Resolve(filtered, reference));
            }

            filtered = [.. filtered.Where(s => chosen.Contains(s.Id))];
        }

        return LatestOnly && filtered.Count > 0 ? [filtered[^1]] : filtered;
    }

    private static ObjectId Resolve(List<(ObjectId Id, Snapshot Snapshot)> candidates, string reference)
    {
        if (reference == "latest")
        {
            return candidates.Count > 0 ? candidates[^1].Id : throw new StackvaultException("no snapshot found for 'latest'");
        }

        if (reference.Length < 4)
        {
            throw new UsageException($"snapshot reference '{reference}' is too short: give 'latest' or at least 4 hex digits");
        }

        var matches = candidates.Where(s => s.Id.ToString().StartsWith(reference, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new StackvaultException($"no snapshot in the source matches '{reference}'"),
            _ => throw new UsageException($"'{reference}' matches {matches.Count} snapshots: give more digits"),
        };
    }
}
