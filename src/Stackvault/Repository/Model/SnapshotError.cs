namespace Stackvault.Repository.Model;

/// <summary>One source item that could not be saved, and why.</summary>
public sealed class SnapshotError
{
    public string Path { get; set; } = string.Empty;

    public string Message { get; set; } = string.Empty;
}
