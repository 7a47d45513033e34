using Stackvault.Buckets;
using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Storage;

namespace Stackvault.Components.Bucket;

/// <summary>
/// <c>type: bucket</c>: an object-storage bucket of a known layout, object by object (data); restored by
/// <c>bucket restore</c>; drilled structurally (every block's meta.json and the files it lists).
/// </summary>
internal sealed class BucketEngine : IEngine
{
    public string Type => BucketComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["url", "layout", "tenants", "keep", "flush_url", "allow_empty"];

    public string Method => "bucket";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new();

    public IDrillCheck Drill { get; } = new BlockDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var url = s.Reader.String(s.Map, s.Path, "url", required: true);
        if (url is not null && StorageSchemes.BucketProblem(url) is { } problem)
        {
            s.Problem("url", problem);
            url = null;
        }

        var layoutName = s.Reader.String(s.Map, s.Path, "layout", required: true);
        var layout = BucketLayout.Find(layoutName);
        if (layoutName is not null && layout is null)
        {
            s.Problem("layout", $"unknown bucket layout: use one of {string.Join(", ", BucketLayout.Names)}");
        }

        var keep = s.Reader.StringList(s.Map, s.Path, "keep");
        foreach (var kind in keep.Where(k => !BucketComponent.KeepKinds.Contains(k)))
        {
            s.Problem("keep", $"unknown keep '{kind}': use {string.Join(", ", BucketComponent.KeepKinds)}");
        }

        var flushUrl = s.Reader.HttpUrl(s.Map, s.Path, "flush_url");
        if (flushUrl is not null && layout is { HasIngesters: false })
        {
            s.Problem("flush_url", $"applies to the {BucketLayout.Having(l => l.HasIngesters)} layouts (ingesters), not {layout.Name}");
        }

        var tenants = s.Reader.StringList(s.Map, s.Path, "tenants");
        if (tenants.Count > 0 && layout is { HasTenants: false })
        {
            s.Problem("tenants", $"the {layout.Name} layout has no tenant prefixes");
        }

        return url is null || layout is null ? null
            : new BucketComponent(s.Name, s.Hooks, s.Line, url, layout)
            {
                Tenants = tenants, Keep = keep, FlushUrl = flushUrl?.ToString(), AllowEmpty = s.Reader.Bool(s.Map, s.Path, "allow_empty") ?? false,
            };
    }

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is BucketComponent b
        ? [("url", Configuration.ConfigRedaction.Text(b.Url)), ("layout", b.Layout.Name), ("tenants", b.Tenants), ("keep", b.Keep)]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new BucketComponentAdapter(services.Time, history: services.History);

    public ItemClass ClassOf(string relative) => ItemClass.Data;
}
