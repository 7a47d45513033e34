using System.IO.Compression;
using System.Text;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// <c>--layout generic</c>: the platform's <c>backup</c> bucket of gzipped pg dumps (<c>dop-YYYYMMDDHHMM.dump.gz</c>),
/// every object kept; verify reports the object count and bytes; an empty bucket or prefix fails unless --allow-empty.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class GenericBucketTests(S3rverFixture server)
{
    private static string Dumps(string root)
    {
        foreach (var (name, sql) in new[] { ("dop-202612010300.dump.gz", "CREATE TABLE a (id int);\n"), ("dop-202612020300.dump.gz", "CREATE TABLE b (id int);\n"), ("archive/dop-202611010300.dump.gz", "SELECT 1;\n") })
        {
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            gzip.Write(Encoding.UTF8.GetBytes(sql));
        }

        return root;
    }

    [Fact]
    public async Task Generic_DirectoryBucket_BackupKeepsEveryObject_VerifyReportsCountAndBytes()
    {
        using var bed = new BucketTestBed(server);
        var bucket = Dumps(bed.Temp.Sub("backup-bucket"));
        var keys = BucketTestBed.Files(bucket);
        var bytes = keys.Sum(k => new FileInfo(Path.Combine(bucket, k)).Length);
        await bed.Cli.InitAsync();

        var verify = (await bed.Cli.RunOkAsync("bucket", "verify", "--source", bucket, "--layout", "generic", "--json")).Json();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bucket, "--layout", "generic", "--name", "dumps");

        Assert.Equal(3, verify.GetProperty("objects_selected").GetInt32());
        Assert.Equal(bytes, verify.GetProperty("bytes_selected").GetInt64());
        Assert.Empty(verify.GetProperty("blocks").EnumerateArray());
        var text = await bed.Cli.RunOkAsync("bucket", "verify", "--source", bucket, "--layout", "generic");
        Assert.Contains("3 of 3 objects selected", text.Stdout, StringComparison.Ordinal);
        var section = JobManifests.Section((await JobManifests.AllAsync(bed.Cli.Repository))[^1], "dumps");
        Assert.Equal("bucket-generic", section.Method);
        Assert.Equal(3, section.Checks!["objects"]);
        Assert.Equal(bytes, section.Checks["bytes"]);
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(bucket, keys, Path.Combine(restored, "dumps"));
        await bed.Cli.RunOkAsync("verify", "--read-data");
        // the runbook's commands: the bucket put back, and one dump as a file
        var target = bed.Temp.Sub("recreated-bucket");
        Directory.CreateDirectory(target);
        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--component", "dumps", "--target", target);
        BucketTestBed.AssertSameObjects(bucket, keys, target);
        var one = bed.Temp.Sub("one");
        await bed.Cli.RunOkAsync("restore", "latest", "--include", "/dumps/dop-202612020300.dump.gz", "--target", one);
        Assert.Equal(["dumps/dop-202612020300.dump.gz"], BucketTestBed.Files(one));
    }

    [Fact]
    public async Task Generic_S3Bucket_PrefixBackedUp_EmptyPrefixFailsUnlessAllowed()
    {
        using var bed = new BucketTestBed(server);
        var staged = bed.Temp.Sub("staged");
        Dumps(Path.Combine(staged, "pg"));
        var bucket = await bed.UploadAsync(staged);
        await bed.Cli.InitAsync();

        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket) + "/pg", "--layout", "generic");
        var empty = await bed.Cli.ExpectAsync(1, "bucket", "backup", "--source", bed.Url(bucket) + "/nothing-here", "--layout", "generic");
        var emptyVerify = await bed.Cli.ExpectAsync(1, "bucket", "verify", "--source", bed.Url(bucket) + "/nothing-here", "--layout", "generic");
        await bed.Cli.RunOkAsync("bucket", "verify", "--source", bed.Url(bucket) + "/nothing-here", "--layout", "generic", "--allow-empty");

        Assert.Contains("holds no objects", empty.Stderr + empty.Stdout, StringComparison.Ordinal);
        Assert.Contains("--allow-empty", emptyVerify.Stderr + emptyVerify.Stdout, StringComparison.Ordinal);
        Assert.Single(await JobManifests.AllAsync(bed.Cli.Repository));
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(Path.Combine(staged, "pg"), BucketTestBed.Files(Path.Combine(staged, "pg")), Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Generic_TenantOption_IsAUsageError()
    {
        using var bed = new BucketTestBed(server);
        var bucket = Dumps(bed.Temp.Sub("backup-bucket"));

        var result = await bed.Cli.ExpectAsync(2, "bucket", "verify", "--source", bucket, "--layout", "generic", "--tenant", "t1");

        Assert.Contains("no tenant prefixes", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownLayout_IsOneLineUsageError_NamingTheLayouts()
    {
        using var bed = new BucketTestBed(server);
        var bucket = Dumps(bed.Temp.Sub("backup-bucket"));

        var result = await bed.Cli.ExpectAsync(2, "bucket", "verify", "--source", bucket, "--layout", "mimr");

        Assert.Equal("stackvault: unknown bucket layout 'mimr': use one of mimir, thanos, cortex, loki, tempo, generic", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Job_GenericBucketComponent_ValidatesAndBacksUpEveryObject()
    {
        using var bed = new BucketTestBed(server);
        var bucket = Dumps(bed.Temp.Sub("backup-bucket"));
        await bed.Cli.InitAsync();
        var config = JobManifests.WriteConfig(bed.Temp, bed.Cli.Repository, $"""
            components:
              dumps: {"{"} type: bucket, url: "{bucket}", layout: generic {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [dumps] {"}"}
            """);
        await bed.Cli.RunOkAsync("config", "validate", "--config", config);

        await bed.Cli.RunOkAsync("backup", "--job", "nightly", "--config", config);

        var section = JobManifests.Section((await JobManifests.AllAsync(bed.Cli.Repository))[^1], "dumps");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal(3, section.Checks!["objects"]);
    }
}
