namespace Stackvault.Maintenance.Retention;

/// <summary>The verdict on one snapshot: kept (with every rule that keeps it, e.g. "daily 3", "last complete") or removed.</summary>
public sealed record RetentionDecision(RetentionCandidate Candidate, IReadOnlyList<string> Reasons)
{
    public bool Keep => Reasons.Count > 0;
}
