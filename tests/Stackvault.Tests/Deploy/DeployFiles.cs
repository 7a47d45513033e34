using System.Text.RegularExpressions;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy;

/// <summary>The files under deploy/, the metric names the daemon exposes, and a PromQL identifier check.</summary>
internal static partial class DeployFiles
{
    public static string Dashboard => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "grafana", "stackvault-dashboard.json");

    public static string Alerts => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "prometheus", "stackvault-alerts.yaml");

    public static string AlertTests => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "prometheus", "stackvault-alerts.test.yaml");

    /// <summary>Exactly the metrics of the daemon's /metrics (issue 8).</summary>
    public static readonly IReadOnlySet<string> Metrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "stackvault_backup_last_success_timestamp_seconds", "stackvault_backup_last_run_timestamp_seconds", "stackvault_backup_last_status",
        "stackvault_backup_duration_seconds", "stackvault_backup_size_bytes", "stackvault_backup_added_bytes", "stackvault_backup_runs_total",
        "stackvault_backup_missed_runs_total", "stackvault_component_last_status", "stackvault_component_duration_seconds", "stackvault_component_size_bytes",
        "stackvault_rpo_seconds", "stackvault_backup_age_seconds", "stackvault_rpo_breached", "stackvault_tier_copy_last_success_timestamp_seconds",
        "stackvault_tier_copy_runs_total", "stackvault_tier_lag_snapshots", "stackvault_retention_removed_snapshots_total",
        "stackvault_prune_last_success_timestamp_seconds", "stackvault_verify_last_success_timestamp_seconds", "stackvault_verify_last_status",
        "stackvault_drill_last_success_timestamp_seconds", "stackvault_drill_rto_seconds", "stackvault_drill_last_status", "stackvault_up", "stackvault_build_info",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right" };

    /// <summary>
    /// The identifiers of an expression that are neither functions, keywords, label names (in braces or in
    /// by/on/without/ignoring lists), strings nor durations: the metric names it selects.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        return [.. Identifier().Matches(text)
            .Where(m => !text[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Select(m => m.Value)
            .Where(name => !Keywords.Contains(name))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Grafana's variables replaced by valid values, so the text is plain PromQL.</summary>
    public static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
        .Replace("$__range", "1d", StringComparison.Ordinal)
        .Replace("$__interval", "1m", StringComparison.Ordinal)
        .Replace("$job", "nightly|hourly", StringComparison.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();
}
