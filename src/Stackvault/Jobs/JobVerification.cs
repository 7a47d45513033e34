using System.Globalization;
using Stackvault.Configuration;
using Stackvault.Locking;
using Stackvault.Telemetry;
using Stackvault.Verify;

namespace Stackvault.Jobs;

/// <summary>
/// A job's scheduled verify: the repository's structure every time, plus a rolling data slice. With
/// <c>read_data_subset: n/t</c> each run reads the next slice (1/t, 2/t, ... t/t, 1/t ...; the position is kept in the
/// status file) so all data is read over t runs; a percentage is used as is.
/// </summary>
public sealed class JobVerification(TimeProvider time, StatusStore? store)
{
    public async ValueTask<VerifyState> RunAsync(
        JobConfig job, Func<CancellationToken, ValueTask<Repository.Repository>> open, TimeSpan lockRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(open);
        var (subset, slices) = Subset(job.Verify?.ReadDataSubset, store?.Load().Jobs.GetValueOrDefault(job.Name)?.VerifyNextSlice ?? 1);
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        var state = new VerifyState { At = at, Subset = subset };
        using var timeout = job.Verify?.Timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var repository = await open(linked.Token).ConfigureAwait(false);
            var manager = new LockManager(repository.Storage, new LockOptions { RetryFor = lockRetry }, time);
            await using var repositoryLock = await manager.AcquireAsync(LockKind.Shared, "verify", linked.Token).ConfigureAwait(false);
            var result = await new Checker(repository, new CheckOptions { ReadDataSubset = subset }).RunAsync(linked.Token).ConfigureAwait(false);
            state.Ok = result.Ok;
            state.Errors = result.Errors.Count;
            state.Message = result.Ok ? $"{result.Snapshots} snapshots, {result.Packs} packs, {result.PacksRead} packs read"
                : $"{result.Errors.Count} errors, first: {result.Errors[0].Object}: {result.Errors[0].Message}";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            state.Ok = false;
            state.Errors = Math.Max(1, state.Errors);
            state.Message = e is OperationCanceledException ? $"timed out after {(job.Verify?.Timeout is { } t ? DurationFormat.Format(t) : "?")}" : e.Message;
        }

        state.DurationSeconds = time.GetElapsedTime(started).TotalSeconds;
        store?.RecordVerify(job.Name, state, slices);
        return state;
    }

    /// <summary>The subset to read this time and the number of rolling slices (0 when not rolling).</summary>
    public static (string? Subset, int Slices) Subset(string? configured, int nextSlice)
    {
        if (configured is null || configured.EndsWith('%'))
        {
            return (configured, 0);
        }

        var parts = configured.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var total) && total >= 1)
        {
            var slice = Math.Clamp(nextSlice, 1, total);
            return ($"{slice.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)}", total);
        }

        return (configured, 0);
    }
}
