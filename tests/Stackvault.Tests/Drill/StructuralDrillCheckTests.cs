using Stackvault.Drill;
using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Loki;
using Stackvault.Tests.Components.Tempo;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Drill;

/// <summary>The structural checks of restored Loki, Tempo and bucket data.</summary>
public sealed class StructuralDrillCheckTests
{
    private static DrillContext Context(string type, string restored, Dictionary<string, long> checks) => new(
        new ComponentSection { Name = "c", Type = type, Checks = checks }, null, restored, restored + "-work", new DrillOptions(), TimeProvider.System);

    private static async Task<IReadOnlyList<DrillCheckResult>> RunAsync(string type, string restored, Dictionary<string, long> checks) =>
        await Stackvault.Components.EngineCatalog.For(type).Drill!.RunAsync(Context(type, restored, checks), CancellationToken.None);

    [Fact]
    public async Task Loki_AsRecorded_Passes_ThenIndexTableEmptied_Fails()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("loki");
        LokiDataDir.Create(data);
        foreach (var leftOut in LokiDataDir.LeftOut)
        {
            Directory.Delete(Path.Combine(data, leftOut), recursive: true);
        }

        var recorded = new Dictionary<string, long> { ["index_files"] = 5, ["chunk_files"] = 3, ["tenants"] = 2 };
        Assert.All(await RunAsync("loki", data, recorded), r => Assert.True(r.Passed, r.ToString()));

        foreach (var file in Directory.GetFiles(Path.Combine(data, "index", "index_19800"), "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        var failed = (await RunAsync("loki", data, recorded)).Where(r => !r.Passed).Select(r => r.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["index tables", "index_files"], failed);
    }

    [Fact]
    public async Task Tempo_AsRecorded_Passes_ThenGarbledMeta_AndAPartialBlock_Fail()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("tempo");
        TempoDataDir.Create(data);
        var blocks = Path.Combine(data, "blocks", TempoDataDir.Tenant);
        Directory.Delete(Path.Combine(blocks, TempoDataDir.PartialBlockId), recursive: true);
        var recorded = new Dictionary<string, long> { ["tenants"] = 1, ["blocks"] = 1 };
        Assert.All(await RunAsync("tempo", data, recorded), r => Assert.True(r.Passed, r.ToString()));

        File.WriteAllText(Path.Combine(blocks, TempoDataDir.RealBlockId, "meta.json"), "{\"format\":\"vParq");
        Directory.CreateDirectory(Path.Combine(blocks, "99999999-0000-4000-8000-000000000000"));

        var failed = (await RunAsync("tempo", data, recorded)).Where(r => !r.Passed).Select(r => r.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["meta.json", "partial blocks"], failed);
    }

    [Fact]
    public async Task Bucket_BlockMissingAFileItsMetaLists_FailsNamingIt()
    {
        using var temp = new TempDirectory();
        var block = temp.Sub("bucket/tenant/01JCZ0000000000000000000AA");
        Directory.CreateDirectory(Path.Combine(block, "chunks"));
        File.WriteAllText(Path.Combine(block, "index"), "0123456789");
        File.WriteAllText(Path.Combine(block, "chunks", "000001"), "abc");
        File.WriteAllText(Path.Combine(block, "meta.json"), """
            {"ulid":"01JCZ0000000000000000000AA","version":1,"thanos":{"files":[
              {"rel_path":"chunks/000001","size_bytes":3},{"rel_path":"index","size_bytes":10},{"rel_path":"meta.json"}]}}
            """);
        Assert.All(await RunAsync("bucket", temp.Sub("bucket"), new() { ["blocks"] = 1 }), r => Assert.True(r.Passed, r.ToString()));

        File.Delete(Path.Combine(block, "chunks", "000001"));

        var failure = Assert.Single(await RunAsync("bucket", temp.Sub("bucket"), new() { ["blocks"] = 1 }), r => !r.Passed);
        Assert.Equal("complete blocks: incomplete: tenant/01JCZ0000000000000000000AA (chunks/000001 missing)", failure.ToString());
    }
}
