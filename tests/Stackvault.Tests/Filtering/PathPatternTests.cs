using Stackvault.Filtering;

namespace Stackvault.Tests.Filtering;

public class PathPatternTests
{
    [Theory]
    [InlineData("*.tmp", "/data/wal/segment.tmp", true)]
    [InlineData("*.tmp", "/data/wal.tmp/segment", true)]
    [InlineData("*.tmp", "/data/wal/segment.tmpx", false)]
    [InlineData("wal", "/var/lib/prometheus/wal/00000001", true)]
    [InlineData("wal", "/var/lib/prometheus/walrus", false)]
    [InlineData("/var/lib/prometheus/wal", "/var/lib/prometheus/wal/00000001", true)]
    [InlineData("/var/lib/prometheus/wal", "/srv/var/lib/prometheus/wal", false)]
    [InlineData("prometheus/*/chunks", "/var/lib/prometheus/01HX/chunks/000001", true)]
    [InlineData("prometheus/*/chunks", "/var/lib/prometheus/a/b/chunks", false)]
    [InlineData("prometheus/**/chunks", "/var/lib/prometheus/a/b/chunks", true)]
    [InlineData("queries.active", "/prom/queries.active", true)]
    [InlineData("seg?", "/x/seg1", true)]
    [InlineData("seg[0-3]", "/x/seg4", false)]
    [InlineData("seg[!0-3]", "/x/seg4", true)]
    public void Matches_Pattern_AsDocumented(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, new PathPattern(pattern).Matches(path));
    }

    [Fact]
    public void Ctor_EmptyPattern_RejectedAsUsage()
    {
        var e = Assert.ThrowsAny<Errors.StackvaultException>(() => new PathPattern(" "));
        Assert.Equal(Errors.ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
    }

    [Fact]
    public void PathFilter_IncludeBelowDirectory_WalksTheDirectory()
    {
        var filter = new PathFilter(["/srv/prometheus/01HX/meta.json"], null);
        Assert.True(filter.MayIncludeBelow("/srv/prometheus"));
        Assert.False(filter.MayIncludeBelow("/srv/grafana"));
        Assert.True(filter.IsIncluded("/srv/prometheus/01HX/meta.json"));
        Assert.False(filter.IsIncluded("/srv/prometheus/01HX/index"));
    }
}
