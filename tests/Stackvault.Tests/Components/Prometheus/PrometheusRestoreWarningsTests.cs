using System.Globalization;
using System.Text;
using Stackvault.Components.Prometheus;
using Stackvault.Configuration;
using Stackvault.Restore.Live;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>Retention and WAL-overlap warnings on real blocks made by <c>promtool tsdb create-blocks-from openmetrics</c>.</summary>
public sealed class PrometheusRestoreWarningsTests
{
    /// <summary>Blocks with one sample a minute for 3 hours starting <paramref name="hoursAgo"/> hours ago.</summary>
    private static async Task<string> BlocksAsync(TempDirectory temp, string name, int hoursAgo)
    {
        var start = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 7200 * 7200) - (hoursAgo * 3600L);
        var text = new StringBuilder("# HELP temp A temperature.\n# TYPE temp gauge\n");
        for (var t = 0; t < 3 * 3600; t += 60)
        {
            text.Append(CultureInfo.InvariantCulture, $"temp{{room=\"a\"}} {t % 7} {start + t}\n");
        }

        text.Append("# EOF\n");
        var input = temp.Sub(name + ".om");
        await File.WriteAllTextAsync(input, text.ToString());
        var data = temp.Sub(name);
        var (exitCode, output) = await Promtool.RunAsync("tsdb", "create-blocks-from", "openmetrics", input, data);
        Assert.True(exitCode == 0, output);
        return data;
    }

    [Fact]
    public async Task OldBlocks_BeyondRetention_Warn_NamingTheRetention_RecentOnesDoNot()
    {
        using var temp = new TempDirectory();
        var old = await BlocksAsync(temp, "old", hoursAgo: 30 * 24);
        var recent = await BlocksAsync(temp, "recent", hoursAgo: 12);

        var warning = Assert.Single(PrometheusRestoreWarnings.OldBlocks(old, PrometheusRestoreWarnings.DefaultRetention, DateTimeOffset.UtcNow));

        Assert.Contains("end before the retention window (15d", warning, StringComparison.Ordinal);
        Assert.Contains(TsdbLayout.Scan(old).Blocks[0].Ulid, warning, StringComparison.Ordinal);
        Assert.Empty(PrometheusRestoreWarnings.OldBlocks(recent, PrometheusRestoreWarnings.DefaultRetention, DateTimeOffset.UtcNow));
        Assert.Empty(PrometheusRestoreWarnings.OldBlocks(old, TimeSpan.FromDays(60), DateTimeOffset.UtcNow));
    }

    /// <summary>A live restore asks the engine through the catalog: the component's retention first, then the operator's, then 15d.</summary>
    [Fact]
    public async Task StagedWarnings_ThroughTheCatalog_ComponentRetentionThenOperatorsThenDefault()
    {
        using var temp = new TempDirectory();
        var old = await BlocksAsync(temp, "old", hoursAgo: 30 * 24);
        var staged = new List<(LiveItem, string)> { (new LiveItem("data", temp.Sub("live")), old) };
        var component = new PrometheusComponent("prom", HookSet.None, 1, new Uri("http://prom:9090/"), temp.Sub("live"));
        var engine = Stackvault.Components.EngineCatalog.Of(component);
        IReadOnlyList<string> Warnings(PrometheusComponent c, TimeSpan? retention) => [.. engine.StagedWarnings(c, staged, retention, TimeProvider.System)];

        Assert.Contains("(15d", Assert.Single(Warnings(component, null)), StringComparison.Ordinal);
        Assert.Empty(Warnings(component, TimeSpan.FromDays(60)));
        Assert.Empty(Warnings(component with { Retention = TimeSpan.FromDays(60) }, TimeSpan.FromDays(1)));
        Assert.Single(Warnings(component with { Retention = TimeSpan.FromDays(1) }, TimeSpan.FromDays(60)));
        Assert.Empty(engine.StagedWarnings(component, [], null, TimeProvider.System));
    }

    [Fact]
    public async Task WalWrittenAfterTheHeadBlockBegan_Warns_OlderWalOrNoWal_DoesNot()
    {
        using var temp = new TempDirectory();
        var data = await BlocksAsync(temp, "data", hoursAgo: 12);
        var blocks = TsdbLayout.Scan(data).Blocks;
        var target = temp.Sub("target");
        Assert.Empty(PrometheusRestoreWarnings.WalOverlap(blocks, target));
        Directory.CreateDirectory(target + "/wal");
        File.WriteAllText(target + "/wal/00000007", "segment");

        var warning = Assert.Single(PrometheusRestoreWarnings.WalOverlap(blocks, target));

        Assert.Contains("1 segment(s)", warning, StringComparison.Ordinal);
        Assert.Contains(blocks.MaxBy(b => b.MaxTime)!.Ulid, warning, StringComparison.Ordinal);
        Assert.Contains("move wal/ and chunks_head/ aside", warning, StringComparison.Ordinal);
        File.SetLastWriteTimeUtc(target + "/wal/00000007", DateTime.UtcNow.AddDays(-3));
        Assert.Empty(PrometheusRestoreWarnings.WalOverlap(blocks, target));
    }
}
