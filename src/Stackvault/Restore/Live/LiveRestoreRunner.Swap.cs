using Stackvault.Components;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

public sealed partial class LiveRestoreRunner
{
    /// <summary>A component's verified copy: each item beside its live path (same filesystem), ready to be renamed in.</summary>
    private sealed class Staged(string directory)
    {
        public string Directory { get; } = directory;

        public List<(LiveItem Item, string Path)> Items { get; } = [];

        public List<(string Dump, string Database)> Dumps { get; } = [];

        public void Delete()
        {
            foreach (var path in Items.Select(i => i.Path).Append(Directory))
            {
                try
                {
                    LiveFs.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Leftover staging (.stackvault-staged-*) is harmless and named as such.
                }
            }
        }
    }

    /// <summary>Restores the component's directory beside its first live path, reading every chunk back (--verify).</summary>
    private async ValueTask<Staged> StageAsync(Snapshot snapshot, LiveComponent component, CancellationToken cancellationToken)
    {
        var name = component.Config.Name;
        var database = DatabaseRestores.Of(component.Config);
        var items = database is null ? Items(component.Config) : [];
        var parent = items.Count > 0 ? Path.GetDirectoryName(Path.GetFullPath(items[0].LivePath))! : Path.GetTempPath();
        Directory.CreateDirectory(parent);
        var staged = new Staged(Path.Combine(parent, $".stackvault-staged-{name}-{Guid.NewGuid():N}"));
        try
        {
            var restore = new RestoreOptions { Target = staged.Directory, SubtreePath = component.Section.SnapshotPath, Verify = true };
            await new RestoreRunner(repository, restore).RunAsync(snapshot, cancellationToken).ConfigureAwait(false);
            if (database is not null)
            {
                var entries = await EntriesAsync(snapshot, component, cancellationToken).ConfigureAwait(false);
                staged.Dumps.AddRange(Dumps(component.Config, database, entries, snapshot).Select(d => (staged.Directory + d.Dump, d.Database)));
                return staged;
            }

            foreach (var item in items)
            {
                var path = staged.Directory + item.InComponent;
                if (!PreRestoreCopies.Exists(path))
                {
                    continue; // not in the snapshot: left alone
                }

                var liveParent = Path.GetDirectoryName(Path.GetFullPath(item.LivePath))!;
                if (item.Relative.Length > 0 && liveParent != parent)
                {
                    Directory.CreateDirectory(liveParent);
                    var beside = Path.Combine(liveParent, $".stackvault-staged-{name}-{Guid.NewGuid():N}");
                    LiveFs.MoveOrCopy(path, beside);
                    path = beside;
                }

                staged.Items.Add((item, path));
            }

            foreach (var warning in EngineCatalog.Of(component.Config).StagedWarnings(component.Config, staged.Items, options.PrometheusRetention, repository.Time))
            {
                Warn($"{name}: {warning}");
            }

            return staged;
        }
        catch
        {
            staged.Delete();
            throw;
        }
    }

    /// <summary>Moves each live item aside as <c>*.pre-restore-TIME</c> (SQLite companions too) and renames the staged copy in.</summary>
    private async ValueTask SwapAsync(LiveComponent component, Staged staged, List<LiveSwap> swapped, CancellationToken cancellationToken)
    {
        var name = component.Config.Name;
        if (DatabaseRestores.Of(component.Config) is { } restore)
        {
            foreach (var (dump, database) in staged.Dumps)
            {
                var (restored, kept) = await restore.RestoreAsync(component.Config, dump, database, options.PostgresJobs, options.Force, repository.Time, cancellationToken).ConfigureAwait(false);
                swapped.Add(new LiveSwap(name, restored, kept, IsDatabase: true) { Undo = restore.Undo(restored, kept) });
            }

            staged.Delete();
            return;
        }

        foreach (var (item, path) in staged.Items)
        {
            var live = item.LivePath;
            string? kept = null;
            if (PreRestoreCopies.Exists(live))
            {
                kept = live + PreRestoreCopies.Marker + _stamp;
                LiveFs.Move(live, kept);
            }

            try
            {
                foreach (var companion in LiveLocations.Companions(component.Config, item).Where(PreRestoreCopies.Exists))
                {
                    LiveFs.Move(companion, companion + PreRestoreCopies.Marker + _stamp);
                }

                LiveFs.Move(path, live);
            }
            catch when (kept is not null && !PreRestoreCopies.Exists(live))
            {
                LiveFs.Move(kept, live);
                throw;
            }

            swapped.Add(new LiveSwap(name, live, kept));
        }

        staged.Delete();
    }

    /// <summary>The error after something live changed: what failed, that the previous data is kept, how to roll back.</summary>
    private StackvaultException Failed(LiveComponent component, IReadOnlyList<LiveSwap> swapped, string message)
    {
        var lines = new List<string> { $"restore of {component.Config.Name} failed: {message}" };
        if (swapped.Count == 0)
        {
            lines.Add("nothing live was changed");
        }
        else
        {
            var config = options.ConfigPath is { } path ? " --config " + path : string.Empty;
            lines.Add("the previous data is kept; to roll back (stop the engine first):");
            foreach (var name in swapped.Where(s => !s.IsDatabase).Select(s => s.Component).Distinct())
            {
                lines.Add($"  stackvault restore --rollback --component {name}{config}");
            }

            lines.Add("or by hand:");
            foreach (var swap in swapped)
            {
                lines.Add(swap switch
                {
                    { Undo: { } undo } => "  " + undo,
                    { KeptAs: { } kept } => $"  mv '{swap.LivePath}' '{swap.LivePath}.failed-restore' && mv '{kept}' '{swap.LivePath}'",
                    _ => $"  mv '{swap.LivePath}' '{swap.LivePath}.failed-restore'  # nothing lived there before",
                });
            }
        }

        return new StackvaultException(string.Join('\n', lines));
    }
}
