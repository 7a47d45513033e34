namespace Stackvault.Jobs;

/// <summary>A snapshot retention kept, and every rule that keeps it (<c>daily 1</c>, <c>last complete snapshot</c>, ...).</summary>
public sealed record KeptSnapshot(string Id, DateTimeOffset Time, IReadOnlyList<string> Reasons);
