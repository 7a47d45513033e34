namespace Stackvault.Export;

/// <summary>Archive formats of <c>export</c>: a POSIX PAX tar, plain or as one zstd frame.</summary>
public enum ExportFormat
{
    Tar,
    TarZst,
}
