namespace Stackvault.Components.Alertmanager;

/// <summary>What <see cref="AlertmanagerSilenceRestorer"/> did: created, skipped as already there, skipped as expired.</summary>
public sealed record SilenceRestoreResult(int Created, int Existing, int Expired);

/// <summary>
/// Re-creates, through <c>POST /api/v2/silences</c>, the backed-up silences still in force (endsAt in the future,
/// state active or pending). A silence the target already has (<see cref="Silence.SameAs"/>: same matchers, endsAt,
/// createdBy, comment and startsAt) is skipped, so restoring twice creates nothing the second time.
/// </summary>
public sealed class AlertmanagerSilenceRestorer(AlertmanagerApi api, TimeProvider time)
{
    public async Task<SilenceRestoreResult> RestoreAsync(IReadOnlyList<Silence> backup, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = (await api.SilencesAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.State != "expired").ToList();
        int created = 0, existing = 0, expired = 0;
        foreach (var silence in backup)
        {
            if (!silence.InForce(now))
            {
                expired++;
            }
            else if (current.Any(c => silence.SameAs(c, now)))
            {
                existing++;
            }
            else
            {
                await api.CreateAsync(silence, cancellationToken).ConfigureAwait(false);
                current.Add(silence);
                created++;
            }
        }

        return new SilenceRestoreResult(created, existing, expired);
    }
}
