using Stackvault.Buckets;
using Stackvault.Configuration;

namespace Stackvault.Components.Bucket;

/// <summary>
/// <c>type: bucket</c> in a job: scans the bucket and hands its selected objects to the job's snapshot under
/// <c>/&lt;name&gt;/</c> (the store stays open until the backup ends). Corrupt blocks and a failed ingester flush
/// make the section partial. As <c>bucket backup</c> does, the scan takes a block's meta.json from the latest snapshot
/// holding this component's section (same name and bucket, not failed) when its key, size and ETag are unchanged, so
/// an unchanged bucket costs the listing only (<paramref name="history"/>: null reads every meta.json from the bucket).
/// </summary>
public sealed class BucketComponentAdapter(TimeProvider? time = null, Func<string, string?>? getVariable = null, ComponentHistory? history = null) : IComponentAdapter
{
    public string Type => BucketComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var bucket = (BucketComponent)component;
        var options = new BucketScanOptions { Layout = bucket.Layout, Tenants = bucket.Tenants, Keep = bucket.Keep, FlushUrl = bucket.FlushUrl, AllowEmpty = bucket.AllowEmpty };
        var store = BucketStores.Open(bucket.Url, getVariable ?? Environment.GetEnvironmentVariable);
        try
        {
            var parent = await ParentAsync(component.Name, store.Location, cancellationToken).ConfigureAwait(false);
            var plan = await BucketPlan.CreateAsync(component.Name, store, options, time ?? TimeProvider.System, parent, history?.Repository.Chunker, cancellationToken).ConfigureAwait(false);
            return new ComponentPlan([plan.Source], plan.Section, store);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The meta.json files of the latest snapshot holding this component's section; null without history or such a snapshot.</summary>
    private async ValueTask<ParentObjects?> ParentAsync(string name, string location, CancellationToken cancellationToken)
    {
        if (history is null || await history.LatestAsync(c => BucketPlan.IsRunOf(c, name, location), cancellationToken).ConfigureAwait(false) is not { } parent)
        {
            return null;
        }

        return await ParentObjects.LoadAsync(history.Repository, parent, "/" + name, "meta.json", cancellationToken).ConfigureAwait(false);
    }
}
