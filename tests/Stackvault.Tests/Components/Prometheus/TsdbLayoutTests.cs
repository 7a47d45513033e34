using System.Globalization;
using System.Text;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>TsdbLayout on a data directory made by <c>promtool tsdb create-blocks-from openmetrics</c>, plus the items a backup leaves out.</summary>
public sealed class TsdbLayoutTests : IAsyncLifetime
{
    private const string PartialUlid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private readonly TempDirectory _root = new("sv-tsdb");
    private long _start;

    private string Data => _root.Sub("data");

    public async Task InitializeAsync()
    {
        // Two series, one sample a minute for 3 hours, aligned to 2h block boundaries: promtool cuts 2 blocks.
        _start = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 7200 * 7200) - (12 * 3600);
        var text = new StringBuilder("# HELP temp A temperature.\n# TYPE temp gauge\n");
        for (var t = 0; t < 3 * 3600; t += 60)
        {
            text.Append(CultureInfo.InvariantCulture, $"temp{{room=\"a\"}} {t % 7} {_start + t}\n");
            text.Append(CultureInfo.InvariantCulture, $"temp{{room=\"b\"}} {t % 5} {_start + t}\n");
        }

        text.Append("# EOF\n");
        await File.WriteAllTextAsync(_root.Sub("input.om"), text.ToString());
        var (exitCode, output) = await Promtool.RunAsync("tsdb", "create-blocks-from", "openmetrics", _root.Sub("input.om"), Data);
        Assert.True(exitCode == 0, output);

        File.WriteAllText(Path.Join(Data, "lock"), "");
        File.WriteAllText(Path.Join(Data, "queries.active"), "");
        Directory.CreateDirectory(Path.Join(Data, "01BX5ZZKBKACTAV9WEVGEMMVRZ.tmp-for-deletion"));
        Directory.CreateDirectory(Path.Join(Data, "01BX5ZZKBKACTAV9WEVGEMMVS0.tmp-for-creation"));
        Directory.CreateDirectory(Path.Join(Data, "wal", "checkpoint.00000002.tmp"));
        File.WriteAllText(Path.Join(Data, "wal", "00000003"), "");
        Directory.CreateDirectory(Path.Join(Data, "chunks_head"));
        Directory.CreateDirectory(Path.Join(Data, "snapshots", "20260101T000000Z-0123456789abcdef"));
        Directory.CreateDirectory(Path.Join(Data, PartialUlid, "chunks"));
        File.WriteAllText(Path.Join(Data, "notes.txt"), "");
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Blocks_and_left_out_items_are_classified()
    {
        var layout = TsdbLayout.Scan(Data);

        Assert.Equal(2, layout.Blocks.Count);
        Assert.Equal(_start * 1000, layout.Blocks[0].MinTime);
        Assert.True(layout.Blocks[0].MaxTime <= layout.Blocks[1].MinTime, "blocks are sorted and do not overlap");
        Assert.True(layout.Blocks[1].MaxTime > (_start + (3 * 3600) - 120) * 1000);
        Assert.Equal(2UL * 3 * 60, layout.Blocks[0].NumSamples + layout.Blocks[1].NumSamples);
        Assert.All(layout.Blocks, b =>
        {
            Assert.Equal(Path.GetFileName(b.Path), b.Ulid);
            Assert.Equal(1, b.CompactionLevel);
            Assert.Equal([b.Ulid], b.Sources);
            Assert.Empty(b.Parents);
        });
        Assert.Equal([PartialUlid], layout.PartialBlocks);
        Assert.Equal(Path.Join(Data, "wal"), layout.Wal);
        Assert.Equal(Path.Join(Data, "chunks_head"), layout.ChunksHead);
        Assert.Equal(
            ["01BX5ZZKBKACTAV9WEVGEMMVRZ.tmp-for-deletion", "01BX5ZZKBKACTAV9WEVGEMMVS0.tmp-for-creation", "lock", "queries.active", "snapshots", "wal/checkpoint.00000002.tmp"],
            layout.LeftOut);
        Assert.Equal(["notes.txt"], layout.Other);
    }

    [Fact]
    public async Task Promtool_agrees_on_the_blocks()
    {
        var layout = TsdbLayout.Scan(Data);
        var (exitCode, output) = await Promtool.RunAsync("tsdb", "list", Data);

        Assert.True(exitCode == 0, output);
        Assert.All(layout.Blocks, b => Assert.Contains(b.Ulid, output, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"minTime\": 1", "\"minTime\": 1.5, \"was\": 1", "'minTime'")]
    [InlineData("\"maxTime\": 1", "\"maxTime\": -1", "'maxTime'")]
    [InlineData("\"numSamples\": ", "\"numSamples\": -", "'stats.numSamples'")]
    [InlineData("\"level\": 1", "\"level\": 0", "'compaction.level'")]
    [InlineData("\"version\": 1", "\"version\": 2", "'version'")]
    [InlineData("\"sources\": [", "\"sources\": [\"../x\",", "'compaction.sources'")]
    [InlineData("\"ulid\": \"01", "\"ulid\": \"02", "'ulid'")]
    [InlineData("\"stats\"", "\"statz\"", "'stats'")]
    public void A_corrupt_meta_json_names_the_field(string find, string replace, string field)
    {
        var block = TsdbLayout.Scan(Data).Blocks[0].Path;
        var meta = Path.Join(block, "meta.json");
        var text = File.ReadAllText(meta);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(meta, ReplaceFirst(text, find, replace));

        var ex = Assert.ThrowsAny<StackvaultException>(() => TsdbLayout.Scan(Data));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(block, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_meta_json_that_is_not_json_is_an_error_naming_the_block()
    {
        var block = TsdbLayout.Scan(Data).Blocks[1].Path;
        File.WriteAllText(Path.Join(block, "meta.json"), "{\"ulid\": ");

        var ex = Assert.ThrowsAny<StackvaultException>(() => TsdbLayout.Scan(Data));

        Assert.Contains(block, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}
