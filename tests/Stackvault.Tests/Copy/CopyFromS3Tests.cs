using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>
/// Copy out of a repository on S3 (a real s3rver, behind a counting proxy): whole packs are read once each instead of
/// one ranged read per blob, and the copy is the same snapshot, verifying with --read-data.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class CopyFromS3Tests(S3rverFixture server)
{
    [Fact]
    public async Task Copy_S3ToLocal_ReadsEachPackOnce_CopyRestoresByteIdenticalAndVerifies()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(43);
        for (var i = 0; i < 6; i++)
        {
            generator.File(Path.Combine(source, "prometheus", $"block{i}", "chunks", "000001"), 1_500_000, compressible: false);
        }

        generator.File(Path.Combine(source, "grafana", "grafana.db"), 300_000);
        var bucket = await server.NewBucketAsync();
        var s3 = S3Cli(new Uri($"s3:{server.Endpoint.ToString().TrimEnd('/')}/{bucket}/hot"), "hot-password");
        await s3.InitAsync("--pack-size", "4");
        await s3.RunOkAsync("backup", source);
        var dataGets = 0;
        var dataHeads = 0;
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) =>
        {
            if (request.RawUrl!.Contains("/data/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref request.HttpMethod == "GET" ? ref dataGets : ref dataHeads);
            }

            return null;
        });
        var local = new CliRunner(temp.Sub("local"), "local-password");
        local.Environment["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        local.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        local.Environment["AWS_PROFILE"] = null;
        local.Environment["STACKVAULT_FROM_PASSWORD"] = "hot-password";
        await local.InitAsync();

        var copy = (await local.RunOkAsync("copy", "--from-repo", $"s3:{proxy.Endpoint.ToString().TrimEnd('/')}/{bucket}/hot", "--json")).Json();

        Assert.Equal(1, copy.GetProperty("snapshots_copied").GetInt32());
        var packs = await PacksAsync(s3);
        var (dataBlobs, trees) = (copy.GetProperty("data_blobs").GetInt32(), copy.GetProperty("tree_blobs").GetInt32());
        Assert.True(dataBlobs >= 2 * packs, $"{dataBlobs} data blobs in {packs} packs: the test needs several blobs per pack");
        Assert.True(dataGets <= packs + trees, $"{dataGets} GETs of pack data for {packs} packs and {trees} trees: packs were read blob by blob");
        Assert.InRange(dataHeads, 1, packs); // each pack's size asked once
        await local.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await local.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }

    private static CliRunner S3Cli(Uri repository, string password)
    {
        var cli = new CliRunner(repository.ToString(), password);
        cli.Environment["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        cli.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        cli.Environment["AWS_PROFILE"] = null;
        return cli;
    }

    private static async Task<int> PacksAsync(CliRunner cli) =>
        (await cli.RunOkAsync("verify", "--json")).Json().GetProperty("packs").GetInt32();
}
