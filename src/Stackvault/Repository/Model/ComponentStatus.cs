namespace Stackvault.Repository.Model;

/// <summary>A component section's status: complete, partial (some items unreadable) or failed (nothing stored).</summary>
public static class ComponentStatus
{
    public const string Complete = "complete";
    public const string Partial = "partial";
    public const string Failed = "failed";
}
