using Stackvault.Components.Grafana;

namespace Stackvault.Drill;

/// <summary>
/// Grafana: PRAGMA integrity_check on the restored grafana.db, then the row counts of Grafana's tables (dashboards,
/// datasources, alert rules, folders, users, orgs, API keys) against those recorded at backup.
/// </summary>
public sealed class GrafanaDrillCheck : IDrillCheck
{
    public string Type => Configuration.GrafanaComponent.TypeName;

    public ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var database = Path.Combine(context.RestoredDirectory, "grafana.db");
        if (!File.Exists(database))
        {
            return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>([DrillCheckResult.Fail("grafana.db", "missing from the restored component")]);
        }

        var report = GrafanaDatabaseCheck.Run(database, cancellationToken);
        var results = new List<DrillCheckResult>
        {
            report.IsIntact ? DrillCheckResult.Pass("integrity_check", "ok")
                : DrillCheckResult.Fail("integrity_check", string.Join("; ", report.IntegrityMessages.Take(3))),
        };
        foreach (var table in GrafanaDatabaseCheck.Tables)
        {
            var recorded = context.Recorded(table);
            var found = report.RowCounts.TryGetValue(table, out var actual);
            if (recorded is { } expected)
            {
                results.Add(found ? DrillCheckResult.Compare(table, expected, actual) : DrillCheckResult.Fail(table, "the table is missing from the restored database"));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>(results);
    }
}
