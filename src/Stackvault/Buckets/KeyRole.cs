namespace Stackvault.Buckets;

/// <summary>The role of a key in its layout.</summary>
public enum KeyRole
{
    /// <summary>A block's meta.json: the block's commit point.</summary>
    Meta,

    /// <summary>Any other file of a block (index, chunks/, data.parquet, ...).</summary>
    BlockFile,

    /// <summary>A block marker (deletion-mark.json, markers/&lt;id&gt;-*-mark.json, Tempo's meta.compacted.json).</summary>
    Marker,

    /// <summary>A derived per-tenant index the engine rebuilds (Mimir bucket-index.json.gz, Tempo index.json.gz).</summary>
    Index,

    /// <summary>Mimir's cluster identity (__mimir_cluster/), written anew by a fresh cluster.</summary>
    ClusterId,

    /// <summary>Anything else (Loki chunks and index, rules, ...): always kept.</summary>
    Other,
}
