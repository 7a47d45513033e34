using Stackvault.Components.Prometheus;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>Snapshots of a real Prometheus 2.42 (admin API enabled), checked with promtool.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusSnapshotTests(PrometheusServerFixture server)
{
    [Fact]
    public async Task A_snapshot_with_the_head_holds_a_block_promtool_lists_and_dispose_deletes_it()
    {
        await server.WaitForScrapesAsync(3);
        string directory;
        await using (var snapshot = await PrometheusSnapshot.CreateAsync(server.Client, server.DataDirectory, skipHead: false, CancellationToken.None))
        {
            directory = snapshot.Directory;
            Assert.Equal(Path.Join(server.DataDirectory, "snapshots", snapshot.Name), directory);
            Assert.True(PrometheusSnapshot.IsPlainName(snapshot.Name));

            var layout = TsdbLayout.Scan(directory);
            var block = Assert.Single(layout.Blocks);
            Assert.Empty(layout.PartialBlocks);
            Assert.True(Directory.Exists(Path.Join(block.Path, "chunks")));
            Assert.True(File.Exists(Path.Join(block.Path, "index")));
            Assert.True(block.NumSamples >= 3, $"{block.NumSamples} samples");
            Assert.Equal(1, block.CompactionLevel);
            Assert.Equal([block.Ulid], block.Sources);

            var (exitCode, output) = await Promtool.RunAsync("tsdb", "list", directory);
            Assert.True(exitCode == 0, output);
            Assert.Contains(block.Ulid, output, StringComparison.Ordinal);
            Assert.Contains(block.NumSamples.ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(directory));
        Assert.True(Directory.Exists(Path.Join(server.DataDirectory, "snapshots")));
        Assert.True(Directory.Exists(Path.Join(server.DataDirectory, "wal")), "the live data directory is untouched");
    }

    [Fact]
    public async Task The_snapshot_is_deleted_when_the_backup_fails()
    {
        string? directory = null;

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await using var snapshot = await PrometheusSnapshot.CreateAsync(server.Client, server.DataDirectory, skipHead: true, CancellationToken.None);
            directory = snapshot.Directory;
            Assert.True(Directory.Exists(directory));
            throw new IOException("the copy failed");
        });

        Assert.NotNull(directory);
        Assert.False(Directory.Exists(directory));
    }
}
