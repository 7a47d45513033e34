using Stackvault.Buckets;
using Stackvault.Configuration;

namespace Stackvault.Components.Bucket;

/// <summary>
/// <c>type: bucket</c> in a job: scans the bucket and hands its selected objects to the job's snapshot under
/// <c>/&lt;name&gt;/</c> (the store stays open until the backup ends). Corrupt blocks and a failed ingester flush
/// make the section partial.
/// </summary>
public sealed class BucketComponentAdapter(TimeProvider? time = null, Func<string, string?>? getVariable = null) : IComponentAdapter
{
    public string Type => BucketComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var bucket = (BucketComponent)component;
        var options = new BucketScanOptions { Layout = bucket.Layout, Tenants = bucket.Tenants, Keep = bucket.Keep, FlushUrl = bucket.FlushUrl, AllowEmpty = bucket.AllowEmpty };
        var store = BucketStores.Open(bucket.Url, getVariable ?? Environment.GetEnvironmentVariable);
        try
        {
            var plan = await BucketPlan.CreateAsync(component.Name, store, options, time ?? TimeProvider.System, parent: null, chunker: null, cancellationToken).ConfigureAwait(false);
            return new ComponentPlan([plan.Source], plan.Section, store);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
