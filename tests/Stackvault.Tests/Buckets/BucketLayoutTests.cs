using Stackvault.Buckets;
using Stackvault.Errors;

namespace Stackvault.Tests.Buckets;

/// <summary>Key classification per layout and shard arithmetic (no server).</summary>
public sealed class BucketLayoutTests
{
    private const string Ulid = "01HXYZ0123456789ABCDEFGHJK";

    [Theory]
    [InlineData("mimir", "t1/" + Ulid + "/meta.json", KeyRole.Meta, "t1")]
    [InlineData("mimir", "t1/" + Ulid + "/chunks/000001", KeyRole.BlockFile, "t1")]
    [InlineData("mimir", "t1/markers/" + Ulid + "-deletion-mark.json", KeyRole.Marker, "t1")]
    [InlineData("cortex", "t1/bucket-index.json.gz", KeyRole.Index, "t1")]
    [InlineData("mimir", "__mimir_cluster/mimir_cluster_seed.json", KeyRole.ClusterId, "")]
    [InlineData("mimir", "t1/not-a-block/x", KeyRole.Other, "t1")]
    [InlineData("thanos", Ulid + "/deletion-mark.json", KeyRole.Marker, "")]
    [InlineData("thanos", Ulid + "/index", KeyRole.BlockFile, "")]
    [InlineData("thanos", "debug/metas/x.json", KeyRole.Other, "")]
    [InlineData("tempo", "t/b27b0e53-66a0-4505-afd6-434ae3cd4a10/meta.compacted.json", KeyRole.Marker, "t")]
    [InlineData("tempo", "t/index.json.gz", KeyRole.Index, "t")]
    [InlineData("loki", "index/index_19850/fake/x.tsdb.gz", KeyRole.Other, "fake")]
    [InlineData("loki", "index/index_19850/shared.boltdb", KeyRole.Other, "")]
    [InlineData("loki", "fake/abc/123", KeyRole.Other, "fake")]
    [InlineData("loki", "loki_cluster_seed.json", KeyRole.Other, "")]
    public void Classify_Key_GivesRoleAndTenant(string layout, string key, KeyRole role, string tenant)
    {
        var kind = BucketLayout.Parse(layout).Classify(key);

        Assert.Equal(role, kind.Role);
        Assert.Equal(tenant, kind.Tenant);
    }

    [Fact]
    public void Layouts_RecordedNameAndRules_RoundTripThroughTheSectionMethod()
    {
        Assert.Equal(["mimir", "thanos", "cortex", "loki", "tempo", "generic"], BucketLayout.Names);
        Assert.Equal(["mimir", "thanos", "cortex"], BucketLayout.All.Where(l => l.IsTsdb).Select(l => l.Name));
        Assert.Equal(["mimir", "thanos", "cortex", "tempo"], BucketLayout.All.Where(l => l.HasBlocks).Select(l => l.Name));
        Assert.Equal(["mimir", "cortex"], BucketLayout.All.Where(l => l.HasIngesters).Select(l => l.Name));
        Assert.Equal("mimir, cortex, loki and tempo", BucketLayout.Having(l => l.HasTenants));
        foreach (var layout in BucketLayout.All)
        {
            var section = new Stackvault.Repository.Model.ComponentSection { Type = Stackvault.Configuration.BucketComponent.TypeName, Method = BucketPlan.MethodOf(layout) };
            Assert.Equal("bucket-" + layout.Name, section.Method);
            Assert.Same(layout, BucketPlan.LayoutOf(section));
        }
    }

    [Fact]
    public void Shard_EveryUnit_BelongsToExactlyOneShard()
    {
        var shards = Enumerable.Range(0, 5).Select(i => new BucketShard(i, 5)).ToList();
        var units = Enumerable.Range(0, 500).Select(i => $"t{i % 7}/{i:x26}").ToList();

        var owners = units.Select(u => shards.Count(s => s.Contains(u))).ToList();

        Assert.All(owners, n => Assert.Equal(1, n));
        Assert.All(shards, s => Assert.InRange(units.Count(s.Contains), 50, 150)); // spread, not all on one
    }

    [Theory]
    [InlineData("1/1")]
    [InlineData("-1/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("0/0")]
    public void ShardParse_Invalid_ThrowsUsage(string text)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => BucketShard.Parse(text));

        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
    }
}
