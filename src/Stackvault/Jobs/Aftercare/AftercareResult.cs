namespace Stackvault.Jobs.Aftercare;

/// <summary>What <see cref="JobAftercare.RunAsync"/> did: retention in the job's repository, then one result per <c>copy_to</c> tier, in configured order.</summary>
public sealed record AftercareResult(RetentionResult Retention, IReadOnlyList<TierResult> Tiers)
{
    /// <summary>True when a tier failed (a skipped tier is not a failure).</summary>
    public bool AnyTierFailed => Tiers.Any(t => t.Result == TierResult.Failure);
}
