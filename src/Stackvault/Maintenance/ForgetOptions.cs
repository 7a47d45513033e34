using Stackvault.Maintenance.Retention;

namespace Stackvault.Maintenance;

/// <summary>What <c>stackvault forget</c> was asked to do.</summary>
public sealed record ForgetOptions
{
    public required RetentionPolicy Policy { get; init; }

    public GroupBy GroupBy { get; init; } = GroupBy.Host | GroupBy.Paths;

    /// <summary>Only snapshots of this host are considered (others are neither kept nor removed).</summary>
    public string? Host { get; init; }

    /// <summary>Only snapshots carrying all these tags are considered.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool DryRun { get; init; }

    /// <summary>Allows removing the last complete snapshot of a group.</summary>
    public bool AllowEmpty { get; init; }
}
