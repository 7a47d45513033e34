using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>Copy from a local repository into one on S3 (a real s3rver), then verify and restore the S3 copy.</summary>
[Collection(S3rverCollection.Name)]
public sealed class CopyS3Tests(S3rverFixture server)
{
    [Fact]
    public async Task Copy_LocalToS3_VerifiesWithReadDataAndRestoresByteIdentical()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(41);
        generator.File(Path.Combine(source, "prometheus", "01HX", "chunks", "000001"), 3_000_000, compressible: false);
        generator.File(Path.Combine(source, "grafana", "grafana.db"), 400_000);
        var local = new CliRunner(temp.Sub("local"), "local-password");
        await local.InitAsync("--pack-size", "1");
        await local.RunOkAsync("backup", source);
        var s3 = new CliRunner($"s3:{server.Endpoint.ToString().TrimEnd('/')}/{await server.NewBucketAsync()}/cold", "cold-password");
        s3.Environment["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        s3.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        s3.Environment["AWS_PROFILE"] = null;
        s3.Environment["STACKVAULT_FROM_PASSWORD"] = "local-password";
        await s3.InitAsync();

        var first = (await s3.RunOkAsync("copy", "--from-repo", local.Repository, "--json")).Json();
        generator.File(Path.Combine(source, "grafana", "grafana.db"), 400_000);
        await local.RunOkAsync("backup", source);
        var second = (await s3.RunOkAsync("copy", "--from-repo", local.Repository, "--json")).Json();

        Assert.Equal(1, first.GetProperty("snapshots_copied").GetInt32());
        Assert.Equal(1, second.GetProperty("snapshots_copied").GetInt32());
        Assert.True(second.GetProperty("data_added").GetInt64() < first.GetProperty("data_added").GetInt64() / 3, second.ToString());
        await s3.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await s3.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }
}
