using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Storage.S3;

namespace Stackvault.Tests.Support;

/// <summary>
/// A real s3rver (npm, installed into .build/node by scripts/setup.sh) run as a <see cref="LocalServer"/> (127.0.0.1, a
/// free port, a temp data directory), shared by the S3 test classes through the "s3rver" collection and killed at the end.
/// s3rver accepts the access key S3RVER with the secret S3RVER.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private LocalServer _server = null!;

    public int Port => _server.Port;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public static S3Credentials Credentials { get; } = new(AccessKey, SecretKey);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ScriptPath => Path.Combine(RepositoryRoot, ".build", "node", "node_modules", "s3rver", "bin", "s3rver.js");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException($"{ScriptPath} is missing: run scripts/setup.sh");
        }

        // s3rver ciphers ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) only has in its legacy provider.
        _server = await LocalServer.StartAsync("node", (port, data) =>
            ["--openssl-legacy-provider", ScriptPath, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent"], readyPath: null);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A client of the SDK, independent of S3Storage, for test setup and inspection.</summary>
    public AmazonS3Client CreateClient() => new(AccessKey, SecretKey, new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Creates a fresh bucket with a unique name and returns the name.</summary>
    public async Task<string> NewBucketAsync()
    {
        var name = "sv-" + Guid.NewGuid().ToString("N")[..20];
        using var client = CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Options for a storage in the bucket under the prefix, with the s3rver credentials.</summary>
    public S3StorageOptions Options(string bucket, string prefix = "repo") =>
        new(new Stackvault.Storage.S3.S3Location(Endpoint, bucket, prefix)) { Credentials = Credentials };

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stackvault.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stackvault.slnx above {AppContext.BaseDirectory}");
    }
}
