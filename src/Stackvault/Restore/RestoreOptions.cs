using Stackvault.Progress;

namespace Stackvault.Restore;

/// <summary>Where and what to restore.</summary>
public sealed class RestoreOptions
{
    public string Target { get; init; } = string.Empty;

    public IReadOnlyList<string> Includes { get; init; } = [];

    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>
    /// Restore only this directory of the snapshot (a component's data, e.g. <c>/prom/data</c>), its content going
    /// straight into the target; null restores the whole snapshot.
    /// </summary>
    public string? SubtreePath { get; init; }

    /// <summary>Plan only: report what would be written, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Read every restored file back and check it against the snapshot before swapping it into place.</summary>
    public bool Verify { get; init; }

    /// <summary>Restore uid/gid (only possible as root; the default when root).</summary>
    public bool RestoreOwnership { get; init; } = Platform.Posix.GetUid() == 0;

    public int Concurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Restore what is intact when some files' data is damaged (missing or corrupt pack, lost blob, unreadable
    /// subtree) and name the rest in <see cref="RestoreResult.Failed"/>; without it any damage fails the restore
    /// before the target is changed (live restore, drill).
    /// </summary>
    public bool AllowPartial { get; init; }

    /// <summary>Counters for a progress display; null when nobody watches.</summary>
    public OperationProgress? Progress { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            throw new Errors.UsageException("restore needs --target DIR");
        }
    }
}
