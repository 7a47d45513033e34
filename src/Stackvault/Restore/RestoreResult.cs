namespace Stackvault.Restore;

/// <summary>What a restore did.</summary>
public sealed record RestoreResult(string Target, long Files, long Directories, long Others, long Bytes, bool DryRun, bool Verified, IReadOnlyList<string> Warnings);
