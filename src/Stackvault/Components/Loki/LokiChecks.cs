namespace Stackvault.Components.Loki;

/// <summary>The names of the counts a Loki backup records in its section and a drill compares.</summary>
public static class LokiChecks
{
    public const string IndexFiles = "index_files";
    public const string ChunkFiles = "chunk_files";
    public const string Tenants = "tenants";
    public const string Flushed = "flushed";

    /// <summary>Every file the source data_dir held (left-outs excluded): a backup that stored no chunk or index of them fails its drill.</summary>
    public const string SourceFiles = "source_files";
}
