using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Components;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Locking;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs;

/// <summary>
/// Runs a job: prepares every component (a failure is recorded as a failed section; the others still go in), backs
/// them all up in ONE snapshot with one manifest section per component, then always runs every cleanup.
/// Hooks: the job's pre hooks, then each component's pre hooks just before it is prepared; after the backup (also on
/// failure and cancellation) every component's post hooks, last component first, then the job's post hooks, each
/// list in the order written, each hook with its own timeout (not the cancelled token). Hook failures go to
/// <paramref name="warn"/>.
/// </summary>
public sealed class JobRunner(
    Repository.Repository repository,
    RepositoryLock repositoryLock,
    IReadOnlyList<IComponentAdapter> adapters,
    BackupProgress progress,
    HookRunner? hooks = null,
    Action<string>? warn = null)
{
    private static readonly HttpClient HookHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly HookRunner _hooks = hooks ?? new HookRunner(HookHttp);

    /// <summary>Runs <paramref name="selection"/>; <paramref name="template"/> gives host, extra tags, parent, force and excludes.</summary>
    public async ValueTask<JobResult> RunAsync(JobSelection selection, BackupOptions template, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "stackvault-job-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var prepared = new List<(ComponentPlan Plan, IReadOnlyList<string> SourcePaths)>();
        var sections = new List<ComponentSection>();
        var cleanupErrors = new List<string>();
        var postHookErrors = new List<string>();
        void Warn(string message) => warn?.Invoke(message);
        try
        {
            if (selection.Job is { } job)
            {
                var pre = await _hooks.RunListAsync(job.Hooks.Pre, $"job {job.Name}: pre hook", true, Warn, cancellationToken).ConfigureAwait(false);
                if (pre.Fatal is not null)
                {
                    throw new StackvaultException($"job {job.Name}: a pre hook failed, nothing backed up: {pre.Fatal}");
                }
            }

            foreach (var component in selection.Components)
            {
                var started = Stopwatch.GetTimestamp();
                var pre = await _hooks.RunListAsync(component.Hooks.Pre, $"{component.Name}: pre hook", true, Warn, cancellationToken).ConfigureAwait(false);
                var plan = pre.Fatal is null
                    ? ItemClasses.Filter(await PrepareAsync(component, scratch, selection.Only, cancellationToken).ConfigureAwait(false), selection.Only)
                    : Failed(component, adapters.FirstOrDefault(a => a.Type == component.Type), "pre hook failed: " + pre.Fatal, started);
                if (component.Hooks.Pre.Count > 0)
                {
                    plan.Section.Checks ??= [];
                    plan.Section.Checks["hooks.pre.ok"] = pre.Ok;
                    plan.Section.Checks["hooks.pre.failed"] = pre.Failed;
                }

                sections.Add(plan.Section);
                prepared.Add((plan, plan.Sources.Select(s => s.SnapshotPath).ToList()));
            }

            if (prepared.All(p => p.Plan.Sources.Count == 0))
            {
                if (selection.Only is { } only && sections.All(s => s.Error is null))
                {
                    throw new UsageException($"--only {only.Name()}: none of the selected components has {only.Name()} items, no snapshot written");
                }

                var why = string.Join("; ", sections.Select(s => $"{s.Name}: {s.Error ?? (selection.Only is { } o ? $"no {o.Name()} items" : "nothing to back up")}"));
                throw new StackvaultException($"no component could be prepared, no snapshot written: {why}");
            }

            var options = new BackupOptions
            {
                Sources = [.. prepared.SelectMany(p => p.Plan.Sources)],
                Tags = [.. selection.Tags, .. template.Tags.Except(selection.Tags)],
                Excludes = [.. template.Excludes, .. prepared.SelectMany(p => p.Plan.Excludes)],
                Hostname = template.Hostname,
                Username = template.Username,
                Parent = template.Parent,
                Force = template.Force,
                FileConcurrency = template.FileConcurrency,
                Finish = snapshot => Finish(snapshot, prepared),
                FinishAsync = RecordSizesAsync,
            };
            var backup = await new BackupRunner(repository, repositoryLock, options, progress).RunAsync(cancellationToken).ConfigureAwait(false);
            return new JobResult(backup, sections, cleanupErrors, postHookErrors);
        }
        finally
        {
            // Post hooks always run, all of them, with their own timeouts: the run may have been cancelled.
            foreach (var component in selection.Components.Reverse())
            {
                var post = await _hooks.RunListAsync(component.Hooks.Post, $"{component.Name}: post hook", false, Warn, CancellationToken.None).ConfigureAwait(false);
                if (post.Fatal is not null)
                {
                    postHookErrors.Add($"{component.Name}: post hook failed: {post.Fatal}");
                }
            }

            if (selection.Job is { } job)
            {
                var post = await _hooks.RunListAsync(job.Hooks.Post, $"job {job.Name}: post hook", false, Warn, CancellationToken.None).ConfigureAwait(false);
                if (post.Fatal is not null)
                {
                    postHookErrors.Add($"job {job.Name}: post hook failed: {post.Fatal}");
                }
            }

            foreach (var cleanup in prepared.Select(p => p.Plan.Cleanup).OfType<IAsyncDisposable>())
            {
                try
                {
                    await cleanup.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is StackvaultException or IOException or UnauthorizedAccessException)
                {
                    cleanupErrors.Add(e.Message);
                }
            }

            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                cleanupErrors.Add($"cannot delete the scratch directory {scratch}: {e.Message}");
            }
        }
    }

    /// <summary>Sets each section's status from the items that could not be read under it, and the snapshot's.</summary>
    private static Snapshot Finish(Snapshot snapshot, List<(ComponentPlan Plan, IReadOnlyList<string> SourcePaths)> prepared)
    {
        foreach (var (plan, sourcePaths) in prepared.Where(p => p.Plan.Sources.Count > 0))
        {
            var section = plan.Section;
            var errors = snapshot.Errors.Where(e => e.Path == section.SnapshotPath || e.Path.StartsWith(section.SnapshotPath + "/", StringComparison.Ordinal)).ToList();
            if (errors.Count == 0)
            {
                continue;
            }

            var nothingStored = sourcePaths.All(path => errors.Any(e => e.Path == path));
            section.Status = nothingStored ? ComponentStatus.Failed : ComponentStatus.Partial;
            section.Error = errors.Count == 1 ? errors[0].Message : $"{errors.Count} items unreadable, first: {errors[0].Path}: {errors[0].Message}";
        }

        snapshot.Components = [.. prepared.Select(p => p.Plan.Section)];
        if (snapshot.Components.Any(c => c.Status != ComponentStatus.Complete))
        {
            snapshot.Status = SnapshotStatus.Partial;
        }

        return snapshot;
    }

    /// <summary>Each section's stored size: the file bytes under its directory in the snapshot's tree.</summary>
    private async ValueTask<Snapshot> RecordSizesAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var root = await repository.LoadTreeAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
        foreach (var section in snapshot.Components ?? [])
        {
            var node = root.Nodes.FirstOrDefault(n => "/" + n.Name == section.SnapshotPath);
            section.Size = node is null ? 0 : await SizeAsync(node, cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }

    private async ValueTask<long> SizeAsync(Node node, CancellationToken cancellationToken)
    {
        if (node.Subtree is not { } subtree)
        {
            return node.Type == NodeType.File ? node.Size : 0;
        }

        long total = 0;
        foreach (var child in (await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false)).Nodes)
        {
            total += await SizeAsync(child, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    private async ValueTask<ComponentPlan> PrepareAsync(Configuration.ComponentConfig component, string scratch, ItemClass? only, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var adapter = adapters.FirstOrDefault(a => a.Type == component.Type);
        try
        {
            if (adapter is null)
            {
                throw new StackvaultException($"components of type {component.Type} cannot be backed up yet");
            }

            var directory = Directory.CreateDirectory(Path.Combine(scratch, component.Name)).FullName;
            return await adapter.PrepareAsync(component, directory, only, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException
            or (StackvaultException and not UsageException) && e is not OperationCanceledException)
        {
            return Failed(component, adapter, e.Message, started);
        }
    }

    private static ComponentPlan Failed(Configuration.ComponentConfig component, IComponentAdapter? adapter, string error, long started)
    {
        var section = ComponentPlan.NewSection(component, adapter is null ? "none" : MethodOf(component.Type), null);
        section.Status = ComponentStatus.Failed;
        section.Error = error;
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan([], section);
    }

    private static string MethodOf(string type) => EngineCatalog.Find(type)?.Method ?? type;
}
