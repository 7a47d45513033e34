using System.Net;
using System.Net.Sockets;
using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Loki;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary><c>backup --job</c> with a Loki component (filesystem storage) against <see cref="LokiStandInServer"/>.</summary>
public sealed class LokiJobTests
{
    [Fact]
    public async Task Job_FlushesFirst_StoresIndexChunksWalCompactor_LeavesOutCaches_RecordsChecks()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("loki");
        LokiDataDir.Create(dataDir);
        await using var loki = new LokiStandInServer(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, loki.Url, dataDir);

        await cli.ExpectAsync(0, "backup", "--job", "logs", "--config", config);

        Assert.Contains("POST /flush", loki.Requests);
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "loki");
        Assert.Equal((ComponentStatus.Complete, "loki-flush-copy", "/loki"), (section.Status, section.Method, section.SnapshotPath));
        Assert.Equal(LokiStandInServer.Version, section.EngineVersion);
        Assert.Equal(loki.Url.ToString(), section.Source);
        Assert.Equal(5, section.Checks!["index_files"]);
        Assert.Equal(4, section.Checks["chunk_files"]); // three plus the one the flush wrote
        Assert.Equal(2, section.Checks["tenants"]);
        Assert.Equal(1, section.Checks["flushed"]);
        Assert.Equal(["/loki/chunks", "/loki/compactor", "/loki/index", "/loki/rules", "/loki/tsdb-shipper-active", "/loki/wal"], snapshot.Paths.Order(StringComparer.Ordinal));

        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        var restored = temp.Sub("out") + "/loki";
        foreach (var relative in LokiDataDir.Kept)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(dataDir, relative)), File.ReadAllText(Path.Combine(restored, relative)));
        }

        // The chunk the flush wrote is in the copy: the flush happened before the files were read.
        Assert.True(File.Exists(restored + "/" + Path.GetRelativePath(dataDir, loki.FlushedChunk)));
        Assert.All(LokiDataDir.LeftOut, d => Assert.False(Path.Exists(Path.Combine(restored, d)), d));
    }

    [Fact]
    public async Task IndexUnderChunks_IsCopiedAsIndex_ChunksStillStored()
    {
        // The filesystem object store ships the index to <chunks_directory>/index/.
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("loki");
        LokiDataDir.Create(dataDir);
        Directory.Move(Path.Combine(dataDir, "index"), Path.Combine(dataDir, "chunks", "index"));
        await using var loki = new LokiStandInServer(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "logs", "--config", Config(temp, loki.Url, dataDir));

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "loki");
        Assert.Equal((5L, 2L, 4L), (section.Checks!["index_files"], section.Checks["tenants"], section.Checks["chunk_files"]));
        Assert.Contains("/loki/chunks/index", snapshot.Paths);
        Assert.Contains("/loki/chunks/fake", snapshot.Paths);
        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        Assert.True(File.Exists(temp.Sub("out") + "/loki/chunks/index/index_19800/fake/1712345678-ingester-0-1712340000.tsdb.gz"));
        Assert.True(File.Exists(temp.Sub("out") + "/loki/chunks/tenant-b/9c8b7a6f5e4d3c2b/MTg4ZTIxZDJkNjA6MThlMjFkMmQ1ZmY6Y2M4ZDE3NmM="));
    }

    [Fact]
    public async Task LokiUnreachable_FailedSection_Exit3_OneLineError_OtherComponentSaved()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("loki");
        LokiDataDir.Create(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              loki: {"{"} type: loki, url: "http://127.0.0.1:{ClosedPort()}", data_dir: {dataDir} {"}"}
              cmd: {"{"} type: command, command: [printf, hello], filename: out.txt {"}"}
            jobs:
              logs: {"{"} repository: main, components: [loki, cmd] {"}"}
            """);

        var result = await cli.ExpectAsync(3, "backup", "--job", "logs", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "loki");
        Assert.Equal(ComponentStatus.Failed, section.Status);
        Assert.StartsWith("cannot reach Loki at http://127.0.0.1:", section.Error, StringComparison.Ordinal);
        Assert.Contains("flush: optional", section.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', section.Error!);
        Assert.Contains("cannot reach Loki", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["/cmd/out.txt"], snapshot.Paths);
    }

    [Fact]
    public async Task LokiUnreachable_FlushOptional_FilesCopied_NotFlushed()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("loki");
        LokiDataDir.Create(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              loki: {"{"} type: loki, url: "http://127.0.0.1:{ClosedPort()}", data_dir: {dataDir}, flush: optional {"}"}
            jobs:
              logs: {"{"} repository: main, components: [loki] {"}"}
            """);

        await cli.ExpectAsync(0, "backup", "--job", "logs", "--config", config);

        var section = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "loki");
        Assert.Equal((ComponentStatus.Complete, "loki-copy", null), (section.Status, section.Method, section.EngineVersion));
        Assert.Equal((0L, 3L), (section.Checks!["flushed"], section.Checks["chunk_files"]));
    }

    private static string Config(TempDirectory temp, Uri url, string dataDir) =>
        JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              loki: {"{"} type: loki, url: "{url}", data_dir: {dataDir} {"}"}
            jobs:
              logs: {"{"} repository: main, components: [loki] {"}"}
            """);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
