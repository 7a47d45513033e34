using Stackvault.Configuration;
using Stackvault.Jobs;
using Stackvault.Telemetry;

namespace Stackvault.Daemon;

/// <summary>What <see cref="Scheduler"/> runs and with what: the config, how to open repositories, the status store, clock and randomness.</summary>
public sealed class DaemonOptions
{
    public required StackvaultConfig Config { get; init; }

    /// <summary>Opens a job's repository (the caller knows the password sources).</summary>
    public required Func<JobSelection, CancellationToken, ValueTask<Repository.Repository>> OpenRepository { get; init; }

    public required StatusStore Store { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Draws each run's jitter; seed it for reproducible delays.</summary>
    public Random Random { get; init; } = new();

    public Log Log { get; init; } = Log.Null;

    /// <summary>How long a run waits for a lock held by another process (runs of this daemon are serialized per repository).</summary>
    public TimeSpan LockRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>After SIGTERM, how long running jobs may finish before they are cancelled (their locks are released either way).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest single sleep: wall-clock jumps and suspends are noticed within it.</summary>
    public TimeSpan MaxSleep { get; init; } = TimeSpan.FromSeconds(30);

    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>Runs one backup; by default <see cref="JobPipeline"/>. Tests replace it.</summary>
    public Func<JobSelection, JobPipelineOptions, CancellationToken, ValueTask<JobOutcome>>? RunJob { get; init; }

    /// <summary>
    /// INTEGRATION SEAM for the drill helper: runs a job's restore drill and records it with
    /// <see cref="StatusStore.RecordDrill"/>. When null, drill schedules are logged as not runnable yet.
    /// </summary>
    public Func<JobConfig, CancellationToken, ValueTask>? Drill { get; init; }

    /// <summary>Opens a configured repository (a <c>copy_to</c> tier) with its own password.</summary>
    public Func<RepositoryConfigEntry, CancellationToken, ValueTask<Repository.Repository>>? OpenConfiguredRepository { get; init; }

    /// <summary>Where job runs are reported (<c>notifications:</c>); null for none.</summary>
    public Notifications.Notifier? Notifier { get; init; }

    /// <summary>Runs a scheduled verify; by default <see cref="JobVerification"/>. Tests replace it.</summary>
    public Func<JobConfig, CancellationToken, ValueTask<VerifyState>>? Verify { get; init; }
}
