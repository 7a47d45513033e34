namespace Stackvault.Restore;

/// <summary>What a restore did. <see cref="Failed"/> names what could not be restored (a directory ends in '/').</summary>
public sealed record RestoreResult(string Target, long Files, long Directories, long Others, long Bytes, bool DryRun, bool Verified, IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<(string Path, string Reason)> Failed { get; init; } = [];
}
