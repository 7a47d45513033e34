using Stackvault.Errors;
using Stackvault.Filtering;
using Stackvault.Progress;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

/// <summary>
/// Restores a snapshot: plans the whole tree first (rejecting unsafe names and crafted fan-out, see
/// <see cref="RestoreLimits"/>), writes into a hidden staging directory inside the target (same filesystem, so a
/// mounted volume works), optionally reads everything back against the snapshot, and only then renames each
/// top-level entry into place. Existing entries of the target that the restore replaces are kept as
/// <c>NAME.pre-restore-TIME</c>. Files whose data is damaged are left out and named in <see cref="RestoreResult.Failed"/>
/// when <see cref="RestoreOptions.AllowPartial"/> is set; otherwise any damage fails the restore before anything is
/// swapped in.
/// </summary>
public sealed partial class RestoreRunner(Repository.Repository repository, RestoreOptions options)
{
    /// <summary>The prefix of the staging directory created inside the target.</summary>
    public const string StagingPrefix = ".stackvault-restore-";

    private readonly List<string> _warnings = [];
    private readonly List<(string Path, string Reason)> _failed = [];

    public async ValueTask<(RestoreResult Result, RestorePlan Plan)> RunAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        options.Validate();
        var filter = new PathFilter(options.Includes, options.Excludes);
        var plan = new RestorePlan();
        var root = await FindSubtreeAsync(snapshot.Tree, options.SubtreePath, cancellationToken).ConfigureAwait(false);
        await PlanAsync(root, string.Empty, options.SubtreePath ?? "snapshot root", 0, filter, plan, cancellationToken).ConfigureAwait(false);
        var progress = options.Progress ?? new OperationProgress();
        progress.SetTotals(plan.Files.Count, plan.TotalBytes);
        if (options.DryRun)
        {
            return (Result(plan, dryRun: true), plan);
        }

        var target = Path.GetFullPath(options.Target);
        target = target.Length > 1 ? target.TrimEnd('/') : target;
        if (File.Exists(target) || (new FileInfo(target).LinkTarget is not null && !Directory.Exists(target)))
        {
            throw new UsageException($"--target {options.Target} exists and is not a directory");
        }

        var created = !Directory.Exists(target);
        Directory.CreateDirectory(target);
        var staging = Path.Combine(target, StagingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var written = await WriteAsync(staging, plan, progress, cancellationToken).ConfigureAwait(false);
            if (_failed.Count > 0 && !options.AllowPartial)
            {
                throw new StackvaultException($"{_failed.Count} file(s) could not be restored, nothing was changed in {options.Target}; the first: {_failed[0].Path}: {_failed[0].Reason}");
            }

            if (_failed.Count > 0 && written.Count == 0)
            {
                // A partial restore keeps what could be restored; when that is no file at all, swapping in the bare
                // directories would hand the operator an empty tree that looks restored.
                throw new StackvaultException($"no file could be restored ({_failed.Count} damaged), nothing was changed in {options.Target}; the first: {_failed[0].Path}: {_failed[0].Reason}");
            }

            if (options.Verify)
            {
                await VerifyAsync(staging, written, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Swap(staging, target);
        }
        catch
        {
            TryDelete(staging);
            if (created)
            {
                TryDelete(target);
            }

            throw;
        }

        return (Result(plan, dryRun: false), plan);
    }

    private RestoreResult Result(RestorePlan plan, bool dryRun)
    {
        var failed = _failed.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var restored = plan.Files.Where(f => !failed.Contains(f.Path)).ToList();
        return new(options.Target, restored.Count, plan.Directories.Count, plan.Others.Count, restored.Sum(f => f.Node.Size), dryRun, options.Verify && !dryRun, _warnings)
        {
            Failed = [.. _failed.OrderBy(f => f.Path, StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Moves each restored top-level entry from the staging directory (inside the target) to the target, keeping an
    /// entry it replaces as NAME.pre-restore-TIME. Every rename stays inside the target's filesystem.
    /// </summary>
    private void Swap(string staging, string target)
    {
        var stamp = Live.PreRestoreCopies.Stamp(repository.Time);
        foreach (var entry in Directory.EnumerateFileSystemEntries(staging))
        {
            var destination = Path.Combine(target, Path.GetFileName(entry));
            if (Directory.Exists(destination) || File.Exists(destination) || new FileInfo(destination).LinkTarget is not null)
            {
                var kept = destination + Live.PreRestoreCopies.Marker + stamp;
                for (var n = 2; Path.Exists(kept) || new FileInfo(kept).LinkTarget is not null; n++)
                {
                    kept = destination + Live.PreRestoreCopies.Marker + stamp + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                Directory.Move(destination, kept);
                _warnings.Add($"kept the previous {destination} as {kept}");
            }

            Directory.Move(entry, destination);
        }

        Directory.Delete(staging);
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
