using Stackvault.Backup;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs;

/// <summary>
/// The outcome of a job run: the one snapshot written, its component sections, and cleanups that failed (for
/// example a Prometheus snapshot directory that could not be deleted), and post hooks that failed without
/// <c>on_error: continue</c>.
/// </summary>
public sealed record JobResult(BackupResult Backup, IReadOnlyList<ComponentSection> Components, IReadOnlyList<string> CleanupErrors, IReadOnlyList<string> PostHookErrors)
{
    /// <summary>True when any component is not complete, any item was unreadable, a cleanup or a post hook failed: exit 3.</summary>
    public bool IsPartial => Backup.IsPartial || CleanupErrors.Count > 0 || PostHookErrors.Count > 0 || Components.Any(c => c.Status != ComponentStatus.Complete);
}
