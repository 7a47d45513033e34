namespace Stackvault.Verify;

/// <summary>The outcome of verify.</summary>
public sealed class CheckResult
{
    public List<CheckProblem> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public int Snapshots { get; set; }

    public int Trees { get; set; }

    public int Packs { get; set; }

    public int PacksRead { get; set; }

    /// <summary>Packs the data selection (--read-data, --read-data-subset) chose, read or found bad.</summary>
    public int PacksSelected { get; set; }

    public long BlobsRead { get; set; }

    public long BytesRead { get; set; }

    public bool Ok => Errors.Count == 0;
}
