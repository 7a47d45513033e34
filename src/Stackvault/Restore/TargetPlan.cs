namespace Stackvault.Restore;

/// <summary>
/// What a restore into --target does to the target's top-level entries: <c>create</c> (new), <c>replace</c> (the
/// existing entry is kept as <c>NAME.pre-restore-TIME</c>) or <c>leave</c> (not in the snapshot: left alone).
/// </summary>
public static class TargetPlan
{
    /// <summary>The target's top-level names before the restore (empty when it does not exist).</summary>
    public static IReadOnlySet<string> TopLevel(string target) =>
        Directory.Exists(target) ? Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal) : new HashSet<string>();

    public static IReadOnlyList<(string Name, string Action)> Classify(RestorePlan plan, IReadOnlySet<string> existing)
    {
        var restored = plan.Directories.Concat(plan.Files).Concat(plan.Others)
            .Select(e => e.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]).ToHashSet(StringComparer.Ordinal);
        return [.. restored.Select(n => (n, existing.Contains(n) ? "replace" : "create"))
            .Concat(existing.Where(n => !restored.Contains(n)).Select(n => (n, "leave")))
            .OrderBy(e => e.Item1, StringComparer.Ordinal)];
    }
}
