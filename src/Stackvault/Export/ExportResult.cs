namespace Stackvault.Export;

/// <summary>What an export wrote: entries by kind, file content bytes, and entries it could not represent.</summary>
public sealed record ExportResult(long Files, long Directories, long HardLinks, long Others, long Bytes, IReadOnlyList<string> Warnings);
