namespace Stackvault.Copy;

/// <summary>
/// One source snapshot a copy considered: <c>copied</c> (a new destination snapshot was written) or <c>skipped</c>
/// (the destination already holds a copy of it, or it is a copy of a destination snapshot). DestinationId names the
/// destination's snapshot in both cases.
/// </summary>
public sealed record CopiedSnapshot(string SourceId, string DestinationId, string Status, DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths)
{
    public const string Copied = "copied";
    public const string Skipped = "skipped";
}
