using Stackvault.Components;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Restore;

namespace Stackvault.Drill;

/// <summary>
/// A restore drill, the engine entry point for <c>stackvault drill</c> and the daemon's scheduled drills: restores every
/// component of a job's snapshot into scratch space (never the live locations), each read back and checked against
/// its content hashes, then checks each at the engine level against what the backup recorded in the manifest, and
/// measures the recovery time per component. Failures are recorded in the report, one component never stops the others.
/// </summary>
/// <param name="repository">Open, locked (shared) by the caller, its index loaded.</param>
/// <param name="config">The configuration: the job, and the components' current settings (a Postgres server to restore into).</param>
/// <param name="options">What to drill.</param>
/// <param name="time">The clock of the report and of the measurements.</param>
public sealed class DrillRunner(Repository.Repository repository, StackvaultConfig config, DrillOptions options, TimeProvider time)
{
    public async ValueTask<DrillReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        if (!config.Jobs.ContainsKey(options.Job))
        {
            throw new UsageException($"no job named '{options.Job}' in {config.SourceName}; jobs: {string.Join(", ", config.Jobs.Keys)}");
        }

        var (id, snapshot) = await FindAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Components is not { Count: > 0 } sections)
        {
            throw new UsageException($"snapshot {id.ToShortString()} has no components (it was not made by backup --job): nothing to drill");
        }

        var started = time.GetUtcNow();
        var scratch = Path.GetFullPath(options.ScratchDirectory);
        Directory.CreateDirectory(scratch);
        var results = new List<DrillComponentResult>();
        var progress = options.Progress;
        if (progress is not null)
        {
            progress.TotalBytes = sections.Sum(s => s.Size);
        }

        try
        {
            var drilled = 0L;
            for (var i = 0; i < sections.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await DrillAsync(snapshot, sections[i], Path.Combine(scratch, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false));
                drilled += sections[i].Size;
                progress?.AdvanceTo(progress.Files, drilled); // this component is done, restored or not
            }
        }
        finally
        {
            if (!options.KeepScratch)
            {
                TryDelete(scratch);
            }
        }

        return new DrillReport(options.Job, id.ToString(), snapshot.Time, started, time.GetUtcNow(), results);
    }

    /// <summary>
    /// The given snapshot, or the latest one tagged <c>job:&lt;job&gt;</c> that holds the whole job: a <c>backup --only
    /// config|data</c> snapshot (tagged <c>only:*</c>) lacks half of each component, so it is drilled only when there is no other.
    /// </summary>
    private async ValueTask<(ObjectId Id, Snapshot Snapshot)> FindAsync(CancellationToken cancellationToken)
    {
        if (options.Snapshot != "latest")
        {
            return await repository.FindSnapshotAsync(options.Snapshot, null, cancellationToken).ConfigureAwait(false);
        }

        var tag = "job:" + options.Job;
        var all = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var mine = all.Where(s => s.Snapshot.Tags.Contains(tag, StringComparer.Ordinal)).ToList();
        var whole = mine.Where(s => !s.Snapshot.Tags.Any(t => t.StartsWith("only:", StringComparison.Ordinal))).ToList();
        return whole.Count > 0 ? whole[^1] : mine.Count > 0 ? mine[^1] : throw new StackvaultException($"no snapshot of job {options.Job} (tagged {tag}) in the repository");
    }

    private async ValueTask<DrillComponentResult> DrillAsync(Snapshot snapshot, ComponentSection section, string directory, CancellationToken cancellationToken)
    {
        var target = config.Jobs[options.Job].Rto.For(DrillTargets.IsData(section.Type)).TotalSeconds; // the job's rto:, else the seeds' targets
        if (section.Status == ComponentStatus.Failed)
        {
            return new DrillComponentResult(section.Name, section.Type, false, 0, 0, 0, 0, target, [], $"the component failed at backup and has no data: {section.Error}");
        }

        var restored = Path.Combine(directory, "restored");
        var work = Path.Combine(directory, "work");
        Directory.CreateDirectory(work);
        var restoreStart = time.GetTimestamp();
        RestoreResult restore;
        try
        {
            SetPhase(section, "restore");
            var restoreOptions = new RestoreOptions
            {
                Target = restored, SubtreePath = ComponentLayout.DataPath(section), Verify = true, RestoreOwnership = false,
                Progress = options.Progress is { } progress ? new Progress.OperationProgress(progress) : null,
            };
            (restore, _) = await new RestoreRunner(repository, restoreOptions).RunAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackvaultException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new DrillComponentResult(section.Name, section.Type, false, time.GetElapsedTime(restoreStart).TotalSeconds, 0, 0, 0, target, [], $"restore failed: {e.Message}");
        }

        var restoreSeconds = time.GetElapsedTime(restoreStart).TotalSeconds;
        var checks = new List<DrillCheckResult>
        {
            restore.Files == 0 && (section.Checks ?? []).Any(c => c.Value > 0 && !c.Key.StartsWith("only.", StringComparison.Ordinal) && !c.Key.StartsWith("hooks.", StringComparison.Ordinal))
                ? DrillCheckResult.Fail("restore", $"no file restored, while the backup recorded {string.Join(", ", section.Checks!.Where(c => c.Value > 0).Take(3).Select(c => $"{c.Key}={c.Value}"))}")
                : DrillCheckResult.Pass("restore", $"{restore.Files} files, {restore.Bytes} bytes, read back and verified"),
        };
        if (section.Status == ComponentStatus.Partial)
        {
            checks.Add(DrillCheckResult.Fail("backup status", "the section is partial: some items were unreadable at backup"));
        }

        SetPhase(section, "check");
        var checkStart = time.GetTimestamp();
        var component = config.Components.GetValueOrDefault(section.Name) is { } c && c.Type == section.Type ? c : null;
        var context = new DrillContext(section, component, restored, work, options, time);
        try
        {
            checks.AddRange(EngineCatalog.Find(section.Type)?.Drill is { } check
                ? await check.RunAsync(context, cancellationToken).ConfigureAwait(false)
                : [DrillCheckResult.Pass("content hashes", "files restored and read back against the snapshot (no engine-level check for this type)")]);
        }
        catch (Exception e) when (e is StackvaultException or IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            checks.Add(DrillCheckResult.Fail("engine check", e.Message));
        }

        var checkSeconds = time.GetElapsedTime(checkStart).TotalSeconds;
        var passed = checks.All(r => r.Passed);
        return new DrillComponentResult(section.Name, section.Type, passed, restoreSeconds, checkSeconds, restore.Files, restore.Bytes, target, checks, null);
    }

    private void SetPhase(ComponentSection section, string phase)
    {
        if (options.Progress is { } progress)
        {
            progress.CurrentPath = $"{section.Name}: {phase}";
        }
    }

        private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
