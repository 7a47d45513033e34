using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Maintenance.Retention;

/// <summary>The group a snapshot belongs to for forget (<c>--group-by host,paths,tags</c>); unused parts are null.</summary>
public sealed record SnapshotGroupKey(string? Host, string? Paths, string? Tags)
{
    public static SnapshotGroupKey Of(Snapshot snapshot, GroupBy by)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new SnapshotGroupKey(
            by.HasFlag(GroupBy.Host) ? snapshot.Hostname : null,
            by.HasFlag(GroupBy.Paths) ? string.Join('\n', snapshot.Paths.Order(StringComparer.Ordinal)) : null,
            by.HasFlag(GroupBy.Tags) ? string.Join('\n', snapshot.Tags.Distinct().Order(StringComparer.Ordinal)) : null);
    }

    /// <summary>Parses "host,paths,tags" (any subset; empty: one group for everything).</summary>
    public static GroupBy ParseGroupBy(string text)
    {
        var result = GroupBy.None;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= part switch
            {
                "host" => GroupBy.Host,
                "paths" => GroupBy.Paths,
                "tags" => GroupBy.Tags,
                _ => throw new UsageException($"--group-by: unknown field '{part}' (use host, paths, tags)"),
            };
        }

        return result;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Host is not null)
        {
            parts.Add($"host {Host}");
        }

        if (Paths is not null)
        {
            parts.Add($"paths [{Paths.Replace('\n', ' ')}]");
        }

        if (Tags is not null)
        {
            parts.Add($"tags [{Tags.Replace('\n', ',')}]");
        }

        return parts.Count == 0 ? "all snapshots" : string.Join(", ", parts);
    }
}
