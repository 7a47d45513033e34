using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// One test's world: a temp directory, a local repository, the CLI with the s3rver credentials, and helpers to put a
/// layout into a fresh bucket (through rclone) and to name buckets by URL (directly or through a proxy).
/// </summary>
internal sealed class BucketTestBed : IDisposable
{
    private readonly S3rverFixture _server;

    public BucketTestBed(S3rverFixture server)
    {
        _server = server;
        Cli = new CliRunner(Temp.Sub("repo"));
        Cli.Environment["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        Cli.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        Cli.Environment["STACKVAULT_S3_BACKOFF_MS"] = "5";
    }

    public TempDirectory Temp { get; } = new("sv-bucket");

    public CliRunner Cli { get; }

    public string Url(string bucket, Uri? endpoint = null) => $"s3:{(endpoint ?? _server.Endpoint).GetLeftPart(UriPartial.Authority)}/{bucket}";

    /// <summary>A Mimir layout staged locally and uploaded with rclone into a new bucket.</summary>
    public async Task<(string Bucket, MimirBucketLayout Layout)> MimirBucketAsync()
    {
        var layout = new MimirBucketLayout(Temp.Sub("mimir-" + Guid.NewGuid().ToString("N")[..6]));
        return (await UploadAsync(layout.Root), layout);
    }

    public async Task<string> UploadAsync(string directory)
    {
        var bucket = await _server.NewBucketAsync();
        await Rclone.UploadAsync(_server, directory, bucket);
        return bucket;
    }

    /// <summary>The relative paths of every file below <paramref name="directory"/>.</summary>
    public static List<string> Files(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)] : [];

    /// <summary>Asserts that <paramref name="actual"/> holds exactly <paramref name="keys"/>, each byte-equal to the file under <paramref name="expected"/>.</summary>
    public static void AssertSameObjects(string expected, IEnumerable<string> keys, string actual)
    {
        var list = keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(list, Files(actual));
        foreach (var key in list)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, key)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, key))), $"{key} differs");
        }
    }

    /// <summary>The object GETs (not listings) <paramref name="proxy"/> passed on after its first <paramref name="skip"/> requests.</summary>
    public static List<string> ObjectGets(FaultingS3Proxy proxy, int skip) =>
        [.. proxy.Log.Skip(skip).Where(l => l.StartsWith("GET ", StringComparison.Ordinal) && !l.Contains("list-type", StringComparison.Ordinal))];

    public void Dispose() => Temp.Dispose();
}
