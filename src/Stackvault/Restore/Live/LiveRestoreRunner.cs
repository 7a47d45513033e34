using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

/// <summary>
/// Restores components into their live locations: plan; check the running engines' versions; stage every component
/// beside its live path and verify every chunk (nothing live is touched until all are staged); then per component in
/// order: stop hooks, swap (the live data renamed to <c>*.pre-restore-TIME</c>, the staged copy renamed in), start
/// hooks, wait for readiness, post-restore check. A failure stops there, says what failed and how to roll back; the
/// previous data stays. After a fully successful restore, older pre-restore copies of the same paths are removed.
/// </summary>
public sealed partial class LiveRestoreRunner(
    Repository.Repository repository,
    LiveRestoreOptions options,
    HookRunner hooks,
    EngineProbe probe,
    Action<string> warn,
    Action<string> info)
{
    private readonly List<string> _warnings = [];
    private readonly string _stamp = PreRestoreCopies.Stamp(repository.Time);

    private void Warn(string message)
    {
        _warnings.Add(message);
        warn(message);
    }

    public async ValueTask<LiveRestoreResult> RunAsync(Snapshot snapshot, IReadOnlyList<LiveComponent> components, CancellationToken cancellationToken)
    {
        var plan = new List<LivePlanEntry>();
        foreach (var component in components)
        {
            plan.AddRange(await PlanAsync(snapshot, component, cancellationToken).ConfigureAwait(false));
            if (component.Config.RestoreHooks.Pre.Count == 0 && LiveLocations.NeedsStop(component.Config))
            {
                Warn($"{component.Config.Name}: no restore_hooks.stop: the engine keeps running on the data moved aside; stop it first or add restore_hooks");
            }
        }

        if (options.DryRun)
        {
            return new LiveRestoreResult(plan, [], _warnings, DryRun: true);
        }

        foreach (var component in components)
        {
            await CheckVersionAsync(component, cancellationToken).ConfigureAwait(false);
        }

        var staged = new Dictionary<string, Staged>(StringComparer.Ordinal);
        var swapped = new List<LiveSwap>();
        try
        {
            foreach (var component in components)
            {
                info($"{component.Config.Name}: staging and verifying");
                staged[component.Config.Name] = await StageAsync(snapshot, component, cancellationToken).ConfigureAwait(false);
            }

            foreach (var component in components)
            {
                var name = component.Config.Name;
                var stop = await hooks.RunListAsync(component.Config.RestoreHooks.Pre, $"{name}: restore stop hook", true, Warn, cancellationToken).ConfigureAwait(false);
                if (stop.Fatal is not null)
                {
                    throw Failed(component, swapped, $"a stop hook failed, {name} was not touched: {stop.Fatal}");
                }

                var before = swapped.Count;
                try
                {
                    await SwapAsync(component, staged[name], swapped, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or StackvaultException)
                {
                    throw Failed(component, swapped, "the swap failed: " + e.Message);
                }

                staged.Remove(name);
                var mine = swapped.Skip(before).ToList();
                var start = await hooks.RunListAsync(component.Config.RestoreHooks.Post, $"{name}: restore start hook", false, Warn, CancellationToken.None).ConfigureAwait(false);
                if (start.Fatal is not null)
                {
                    throw Failed(component, swapped, $"a start hook failed: {start.Fatal}");
                }

                if (await WaitReadyAsync(component.Config, cancellationToken).ConfigureAwait(false) is { } notReady)
                {
                    throw Failed(component, swapped, $"not ready within {DurationFormat.Format(options.ReadyTimeout)}: {notReady}");
                }

                var databases = mine.Where(s => s.IsDatabase).Select(s => s.LivePath).ToList();
                var (failed, summary) = await probe.CheckAsync(component.Config, component.Section, databases, cancellationToken).ConfigureAwait(false);
                if (failed is not null)
                {
                    throw Failed(component, swapped, "the post-restore check failed: " + failed);
                }

                info($"{name}: restored, ready and checked ({summary})");
            }
        }
        finally
        {
            foreach (var leftover in staged.Values)
            {
                leftover.Delete();
            }
        }

        var olderCopies = swapped.Where(s => s.KeptAs is not null && !s.IsDatabase)
            .SelectMany(s => WithCompanions(components.First(c => c.Config.Name == s.Component).Config, s.LivePath));
        foreach (var removed in PreRestoreCopies.Remove(olderCopies, _stamp))
        {
            info($"removed the older copy {removed}");
        }

        return new LiveRestoreResult(plan, swapped, _warnings, DryRun: false);
    }

    /// <summary>A live path and, for a SQLite database, its -wal/-shm/-journal companions (their older copies go too).</summary>
    private static IEnumerable<string> WithCompanions(ComponentConfig config, string livePath) =>
        [livePath, .. LiveLocations.For(config).Where(i => i.LivePath == livePath).SelectMany(i => LiveLocations.Companions(config, i))];

    private async Task CheckVersionAsync(LiveComponent component, CancellationToken cancellationToken)
    {
        var recorded = component.Section.EngineVersion;
        string? running;
        try
        {
            running = await probe.VersionAsync(component.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or StackvaultException or IOException)
        {
            Warn($"{component.Config.Name}: cannot ask the running engine for its version ({e.Message}); the snapshot has {recorded ?? "no version"}");
            return;
        }

        if (recorded is null || running is null || VersionAdvice.Compatible(component.Config.Type, recorded, running))
        {
            return;
        }

        var message = VersionAdvice.Mismatch(component.Config, recorded, running);
        if (options.Strict)
        {
            throw new StackvaultException(message + " (--strict: nothing was changed)");
        }

        Warn(message);
    }

    private async Task<string?> WaitReadyAsync(ComponentConfig component, CancellationToken cancellationToken)
    {
        var deadline = repository.Time.GetTimestamp();
        string? last;
        while (true)
        {
            last = await probe.ReadyAsync(component, cancellationToken).ConfigureAwait(false);
            if (last is null || repository.Time.GetElapsedTime(deadline) >= options.ReadyTimeout)
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), repository.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
