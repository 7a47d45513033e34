namespace Stackvault.Tests.Components.Tempo;

/// <summary>
/// A Tempo data directory (local backend) built in a temp directory: blocks/single-tenant/&lt;uuid&gt;/ copied from the
/// real vParquet4 block in ../shared/fixtures/tempo (never copied into the repository), one partial block without
/// meta.json, one block compacted away (meta.compacted.json), and wal/.
/// </summary>
public static class TempoDataDir
{
    public const string Tenant = "single-tenant";
    public const string RealBlockId = "b27b0e53-66a0-4505-afd6-434ae3cd4a10";
    public const string PartialBlockId = "11111111-2222-4333-8444-555555555555";
    public const string CompactedBlockId = "66666666-7777-4888-9999-aaaaaaaaaaaa";

    public static string FixtureBlock => Path.Combine(Support.SharedFixtures.Root, "tempo", Tenant, RealBlockId);

    public static void Create(string dataDir)
    {
        var blocks = Path.Combine(dataDir, "blocks", Tenant);
        var real = Path.Combine(blocks, RealBlockId);
        Directory.CreateDirectory(real);
        foreach (var file in Directory.EnumerateFiles(FixtureBlock))
        {
            File.Copy(file, Path.Combine(real, Path.GetFileName(file)));
        }

        Write(Path.Combine(blocks, PartialBlockId, "data.parquet"), "half-written block");
        Write(Path.Combine(blocks, PartialBlockId, "bloom-0"), "bloom");
        Write(Path.Combine(blocks, CompactedBlockId, "data.parquet"), "compacted away");
        Write(Path.Combine(blocks, CompactedBlockId, "meta.compacted.json"), $$"""{"blockID":"{{CompactedBlockId}}","compactedTime":"2024-04-01T00:00:00Z"}""");
        Write(Path.Combine(dataDir, "wal", "blocks", $"{Guid.NewGuid()}+{Tenant}+vParquet4", "0000000001"), "wal page");
        Write(Path.Combine(dataDir, "wal", "search"), string.Empty);
    }

    /// <summary>
    /// The Helm chart's (and the 2.x compose example's) <c>/var/tempo</c>: <c>traces/&lt;tenant&gt;/&lt;block&gt;/</c>
    /// (storage.trace.local.path) with the real block, a partial block, a compacted block and the tenant index, plus
    /// <c>wal/</c> holding a WAL block (<c>&lt;id&gt;+&lt;tenant&gt;+vParquet4/</c>) and the usage-stats seed.
    /// </summary>
    public static void CreateHelm(string dataDir, bool withRealBlock = true)
    {
        var tenant = Path.Combine(dataDir, "traces", Tenant);
        if (withRealBlock)
        {
            var real = Path.Combine(tenant, RealBlockId);
            Directory.CreateDirectory(real);
            foreach (var file in Directory.EnumerateFiles(FixtureBlock))
            {
                File.Copy(file, Path.Combine(real, Path.GetFileName(file)));
            }
        }

        Write(Path.Combine(tenant, PartialBlockId, "data.parquet"), "half-written block");
        Write(Path.Combine(tenant, CompactedBlockId, "data.parquet"), "compacted away");
        Write(Path.Combine(tenant, CompactedBlockId, "meta.compacted.json"), $$"""{"blockID":"{{CompactedBlockId}}","compactedTime":"2024-04-01T00:00:00Z"}""");
        Write(Path.Combine(tenant, "index.json.gz"), "tenant index");
        Write(Path.Combine(dataDir, "wal", $"{Guid.NewGuid()}+{Tenant}+vParquet4", "0000000001"), "wal page");
        Write(Path.Combine(dataDir, "tempo_cluster_seed.json"), "{}");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stackvault.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stackvault.slnx above {AppContext.BaseDirectory}");
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
