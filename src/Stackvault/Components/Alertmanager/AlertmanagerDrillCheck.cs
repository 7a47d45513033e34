using Stackvault.Drill;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// Starts a real Alertmanager (<see cref="AlertmanagerDrillServer"/>) on a copy of the restored <c>silences</c> and
/// <c>nflog</c> and compares its silences with the backup's API copy: every silence still in force there must be
/// served, by id. Zero silences served while the backup recorded some fails (nothing passes on nothing).
/// </summary>
public sealed class AlertmanagerDrillCheck : IDrillCheck
{
    public const string StartCheck = "alertmanager start";
    public const string SilencesCheck = "silences";

    public string Type => Configuration.AlertmanagerComponent.TypeName;

    public async ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var apiFile = Path.Combine(context.RestoredDirectory, AlertmanagerChecks.ApiFile);
        if (!File.Exists(apiFile))
        {
            return [DrillCheckResult.Fail(SilencesCheck, $"{AlertmanagerChecks.ApiFile} was not restored")];
        }

        var backup = Silence.ParseList(await File.ReadAllTextAsync(apiFile, cancellationToken).ConfigureAwait(false), AlertmanagerChecks.ApiFile);
        var storage = Path.Combine(context.ScratchDirectory, "alertmanager-data");
        Directory.CreateDirectory(storage);
        foreach (var name in AlertmanagerChecks.DataFileNames.Where(n => File.Exists(Path.Combine(context.RestoredDirectory, n))))
        {
            File.Copy(Path.Combine(context.RestoredDirectory, name), Path.Combine(storage, name), overwrite: true);
        }

        IReadOnlyList<Silence> served;
        await using (var server = await AlertmanagerDrillServer.StartAsync(AlertmanagerDrillServer.Binary(), storage, context.ScratchDirectory, context.Options.EngineStartTimeout, context.Time, cancellationToken).ConfigureAwait(false))
        {
            served = await server.Api.SilencesAsync(cancellationToken).ConfigureAwait(false);
        }

        var results = new List<DrillCheckResult> { DrillCheckResult.Pass(StartCheck, $"served {served.Count} silences from the restored data") };
        var recorded = context.Recorded(AlertmanagerChecks.Silences) ?? backup.Count;
        if (served.Count == 0 && (recorded > 0 || backup.Count > 0))
        {
            results.Add(DrillCheckResult.Fail(SilencesCheck, $"the restored data holds no silence, while the backup recorded {Math.Max(recorded, backup.Count)}"));
            return results;
        }

        var now = context.Time.GetUtcNow();
        var ids = served.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var expected = backup.Where(s => s.InForce(now)).ToList();
        var missing = expected.Where(s => !ids.Contains(s.Id)).Select(s => s.Id).ToList();
        results.Add(missing.Count == 0
            ? DrillCheckResult.Pass(SilencesCheck, $"all {expected.Count} silences in force in the backup are served")
            : DrillCheckResult.Fail(SilencesCheck, $"{missing.Count} of {expected.Count} silences in force are not in the restored data ({string.Join(", ", missing.Take(3))}); they were made after Alertmanager last wrote its data: re-create them with `stackvault am-restore`"));
        return results;
    }
}
