using Stackvault.Errors;

namespace Stackvault.Maintenance;

/// <summary>What <c>stackvault prune</c> was asked to do.</summary>
public sealed record PruneOptions
{
    /// <summary>Tolerated unused share of the kept packs' bytes, in percent; above it, partly used packs are repacked (0: repack all).</summary>
    public double MaxUnusedPercent { get; init; } = 5;

    public bool DryRun { get; init; }

    /// <summary>Most blobs one new index file describes; more make several files (only the last supersedes).</summary>
    public int MaxBlobsPerIndexFile { get; init; } = 1 << 20;

    /// <summary>Counters of the repacking (packs read and their bytes, totals set once the plan is made); null when nobody watches.</summary>
    public Progress.OperationProgress? Progress { get; init; }

    public void Validate()
    {
        if (double.IsNaN(MaxUnusedPercent) || MaxUnusedPercent < 0 || MaxUnusedPercent > 100)
        {
            throw new UsageException($"--max-unused must be a percentage from 0 to 100, got {MaxUnusedPercent}");
        }

        if (MaxBlobsPerIndexFile < 1)
        {
            throw new UsageException("index files must hold at least one blob");
        }
    }
}
