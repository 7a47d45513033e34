using Stackvault.Backup;

namespace Stackvault.Jobs;

/// <summary>
/// How <see cref="JobPipeline"/> runs one job: how to open the job's repository (the caller knows the password
/// sources), how long to wait for a lock, the backup options shared with a plain backup, and where warnings go.
/// </summary>
public sealed class JobPipelineOptions
{
    /// <summary>Opens the repository of a selection (its configured entry, or the command line's --repo).</summary>
    public required Func<JobSelection, CancellationToken, ValueTask<Repository.Repository>> OpenRepository { get; init; }

    /// <summary>Host, extra tags, excludes, force; the parent is <see cref="ParentRef"/>.</summary>
    public BackupOptions Template { get; init; } = new() { Hostname = Environment.MachineName };

    public string? ParentRef { get; init; }

    public TimeSpan LockRetry { get; init; } = TimeSpan.Zero;

    /// <summary>The job's <c>timeout:</c>; when it passes, the run is cancelled and recorded as a failure.</summary>
    public TimeSpan? Timeout { get; init; }

    public BackupProgress Progress { get; init; } = new();

    /// <summary>manual, schedule or catch-up: recorded with the outcome.</summary>
    public string Trigger { get; init; } = "manual";

    public Action<string>? Warn { get; init; }

    /// <summary>
    /// Receives each <c>copy_to</c> tier's result after the aftercare (the daemon logs them with structured fields).
    /// When set, the aftercare's own one-line warnings for skipped and failed tiers are not sent to <see cref="Warn"/>.
    /// </summary>
    public Action<TierCopyRecord>? TierCopied { get; init; }

    /// <summary>The configuration the job comes from: its repositories name the <c>copy_to</c> tiers. Null: no aftercare.</summary>
    public Configuration.StackvaultConfig? Config { get; init; }

    /// <summary>Opens a configured repository (a tier) with its own password; required for <c>copy_to</c>.</summary>
    public Func<Configuration.RepositoryConfigEntry, CancellationToken, ValueTask<Repository.Repository>>? OpenConfiguredRepository { get; init; }

    /// <summary>Where job runs are reported (<c>notifications:</c>); null for none.</summary>
    public Notifications.Notifier? Notifier { get; init; }
}
