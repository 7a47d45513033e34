namespace Stackvault.Buckets;

/// <summary>Options of <see cref="BucketRestorer"/>. Times are Unix milliseconds: blocks whose range misses [min, max] are left out.</summary>
public sealed record BucketRestoreOptions
{
    public IReadOnlyList<string> Tenants { get; init; } = [];

    public long? MinTime { get; init; }

    public long? MaxTime { get; init; }

    /// <summary>Replace objects of the target that differ from the snapshot's (refused by default).</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Restore blocks that are corrupt in the snapshot (a file meta.json lists is missing or of another size) too; a
    /// block missing a listed file still goes up without its meta.json, so engines never see it as complete.
    /// </summary>
    public bool IncludeCorrupt { get; init; }

    /// <summary>Say what would be uploaded; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Objects uploaded in parallel.</summary>
    public int Concurrency { get; init; } = 8;

    public void Validate()
    {
        if (Concurrency is < 1 or > 256)
        {
            throw new Errors.UsageException($"concurrency must be 1..256, not {Concurrency}");
        }

        if (MinTime is { } min && MaxTime is { } max && min > max)
        {
            throw new Errors.UsageException("--min-time is after --max-time");
        }
    }
}
