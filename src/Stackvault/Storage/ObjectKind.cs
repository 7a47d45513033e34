namespace Stackvault.Storage;

/// <summary>The kinds of object a repository stores. Each kind lives in its own namespace (directory or key prefix).</summary>
public enum ObjectKind
{
    /// <summary>The single <c>config</c> object.</summary>
    Config,

    /// <summary><c>keys/&lt;id&gt;</c>: a wrapped master key.</summary>
    Key,

    /// <summary><c>data/&lt;xx&gt;/&lt;id&gt;</c>: a pack of blobs.</summary>
    Pack,

    /// <summary><c>index/&lt;id&gt;</c>: an index file.</summary>
    Index,

    /// <summary><c>snapshots/&lt;id&gt;</c>: a snapshot manifest.</summary>
    Snapshot,

    /// <summary><c>locks/&lt;id&gt;</c>: a lock lease.</summary>
    Lock,
}
