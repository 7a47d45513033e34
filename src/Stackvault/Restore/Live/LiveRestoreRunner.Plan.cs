using Stackvault.Components;
using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

public sealed partial class LiveRestoreRunner
{
    /// <summary>The snapshot's entries of a component, relative to its directory (read from the trees; nothing written).</summary>
    private async ValueTask<RestorePlan> EntriesAsync(Snapshot snapshot, LiveComponent component, CancellationToken cancellationToken)
    {
        var dry = new RestoreOptions { Target = "/", SubtreePath = component.Section.SnapshotPath, DryRun = true };
        try
        {
            var (_, plan) = await new RestoreRunner(repository, dry).RunAsync(snapshot, cancellationToken).ConfigureAwait(false);
            return plan;
        }
        catch (Errors.StackvaultException e) when (e.Message.StartsWith("the snapshot has no directory", StringComparison.Ordinal))
        {
            throw new Errors.UsageException(
                $"component {component.Config.Name} has no data in this snapshot (nothing under {component.Section.SnapshotPath}){OnlyHint(snapshot)}");
        }
    }

    /// <summary>For a <c>backup --only config|data</c> snapshot: where the other half of each component is.</summary>
    private static string OnlyHint(Snapshot snapshot) =>
        snapshot.Tags.FirstOrDefault(t => t.StartsWith("only:", StringComparison.Ordinal)) is { } only
            ? $"; it is a `backup --only {only[5..]}` snapshot (tagged {only}): the rest is in the job's whole or only:{(only == "only:config" ? "data" : "config")} snapshots"
            : string.Empty;

    private async ValueTask<IReadOnlyList<LivePlanEntry>> PlanAsync(Snapshot snapshot, LiveComponent component, CancellationToken cancellationToken)
    {
        var name = component.Config.Name;
        var entries = await EntriesAsync(snapshot, component, cancellationToken).ConfigureAwait(false);
        if (DatabaseRestores.Of(component.Config) is { } database)
        {
            return await PlanDatabasesAsync(component.Config, database, entries, snapshot, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<LivePlanEntry>();
        foreach (var item in Items(component.Config))
        {
            bool Under(string path) => item.InComponent.Length == 0 || path == item.InComponent || path.StartsWith(item.InComponent + "/", StringComparison.Ordinal);
            var files = entries.Files.Where(f => Under(f.Path)).ToList();
            var present = files.Count > 0 || entries.Directories.Any(d => Under(d.Path)) || entries.Others.Any(o => Under(o.Path));
            var live = PreRestoreCopies.Exists(item.LivePath);
            var liveFiles = live ? CountFiles(item.LivePath) : 0;
            var (action, note) = !present ? (LivePlanEntry.Leave, "not in the snapshot: left alone")
                : live ? (LivePlanEntry.Replace, $"the live data is kept as {Path.GetFileName(item.LivePath)}{PreRestoreCopies.Marker}TIME")
                : (LivePlanEntry.Create, null);
            result.Add(new LivePlanEntry(name, item.Relative.Length == 0 ? "." : item.Relative, item.LivePath, action, files.Count, files.Sum(f => f.Node.Size), liveFiles, note));
        }

        return result;
    }

    /// <summary>The component's live items, only those of the <c>--only</c> class when given.</summary>
    private IReadOnlyList<LiveItem> Items(ComponentConfig config) =>
        options.Only is { } only ? [.. LiveLocations.For(config).Where(i => ItemClasses.Of(config.Type, i.Relative) == only)] : LiveLocations.For(config);

    private static long CountFiles(string path)
    {
        if (!Directory.Exists(path))
        {
            return 1;
        }

        try
        {
            return Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).LongCount();
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>The dumps of a database component and the database each goes into (its own name, or --target-database).</summary>
    private IReadOnlyList<(string Dump, long Size, string Database)> Dumps(ComponentConfig component, IDatabaseRestore database, RestorePlan entries, Snapshot snapshot)
    {
        var dumps = options.Only == ItemClass.Config ? []
            : entries.Files.Select(f => (f.Path, f.Node.Size, Database: database.DatabaseOf(f.Path)))
                .Where(d => d.Database is not null && ItemClasses.Of(component.Type, d.Path) == ItemClass.Data).ToList();
        if (options.TargetDatabase is { } target)
        {
            if (dumps.Count == 0)
            {
                throw new Errors.UsageException($"component {component.Name} has no database dump in this snapshot{OnlyHint(snapshot)}");
            }

            if (dumps.Count != 1)
            {
                throw new Errors.UsageException(
                    $"component {component.Name} has {dumps.Count} dumps in this snapshot ({string.Join(", ", dumps.Select(d => d.Path.TrimStart('/')))}); --target-database takes a component with one");
            }

            return [(dumps[0].Path, dumps[0].Size, target)];
        }

        return [.. dumps.Select(d => (d.Path, d.Size, d.Database!))];
    }

    private async ValueTask<IReadOnlyList<LivePlanEntry>> PlanDatabasesAsync(ComponentConfig component, IDatabaseRestore restore, RestorePlan entries, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var result = new List<LivePlanEntry>();
        foreach (var (dump, size, database) in Dumps(component, restore, entries, snapshot))
        {
            string action;
            string? note = null;
            try
            {
                var exists = await restore.ExistsAsync(component, database, cancellationToken).ConfigureAwait(false);
                action = exists ? LivePlanEntry.Replace : LivePlanEntry.Create;
                if (exists)
                {
                    note = options.Force ? $"the live database is kept as {restore.KeptName(database, "TIME")}" : "exists: replacing it needs --force (or --yes)";
                }
            }
            catch (Exception e) when (e is IOException or Errors.StackvaultException)
            {
                action = LivePlanEntry.Replace;
                note = "cannot ask the server: " + e.Message;
            }

            result.Add(new LivePlanEntry(component.Name, dump.TrimStart('/'), "database " + database, action, 1, size, 0, note));
        }

        return result;
    }
}
