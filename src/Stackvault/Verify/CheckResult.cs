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

    public long BlobsRead { get; set; }

    public long BytesRead { get; set; }

    public bool Ok => Errors.Count == 0;
}
