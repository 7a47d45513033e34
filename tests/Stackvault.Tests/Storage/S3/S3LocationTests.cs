using Stackvault.Errors;
using Stackvault.Storage;
using Stackvault.Storage.S3;

namespace Stackvault.Tests.Storage.S3;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://my-bucket", null, "my-bucket", "")]
    [InlineData("s3://my-bucket/", null, "my-bucket", "")]
    [InlineData("s3://my.bucket/a/b/", null, "my.bucket", "a/b")]
    [InlineData("S3://bkt/prod/metrics", null, "bkt", "prod/metrics")]
    [InlineData("s3:http://127.0.0.1:9000/bucket", "http://127.0.0.1:9000/", "bucket", "")]
    [InlineData("s3:https://minio.internal/backups/stack/one", "https://minio.internal/", "backups", "stack/one")]
    [InlineData("s3:HTTP://Host.Example:80/b12/p%20q", "http://host.example/", "b12", "p q")]
    public void Parse_Valid_SplitsEndpointBucketAndPrefix(string location, string? endpoint, string bucket, string prefix)
    {
        var parsed = S3Location.Parse(location);

        Assert.Equal(endpoint, parsed.Endpoint?.ToString());
        Assert.Equal(bucket, parsed.Bucket);
        Assert.Equal(prefix, parsed.Prefix);
        Assert.Equal(endpoint is not null, parsed.PathStyle);
    }

    [Theory]
    [InlineData("s3:", "neither //BUCKET nor an http(s):// endpoint")]
    [InlineData("s3://", "bucket name is missing")]
    [InlineData("s3:///prefix", "bucket name is missing")]
    [InlineData("s3://ab", "'ab' is not a valid bucket name")]
    [InlineData("s3://My_Bucket/x", "'My_Bucket' is not a valid bucket name")]
    [InlineData("s3://-bucket", "'-bucket' is not a valid bucket name")]
    [InlineData("s3://bucket/a//b", "the prefix 'a//b'")]
    [InlineData("s3://bucket/a/../b", "the prefix 'a/../b'")]
    [InlineData("s3:ftp://host/bucket", "neither //BUCKET nor an http(s):// endpoint")]
    [InlineData("s3:http://", "is not a valid http(s) URL")]
    [InlineData("s3:http://host:9000", "bucket name is missing")]
    [InlineData("s3:http://host:9000/", "bucket name is missing")]
    [InlineData("s3:http://key:secret@host/bucket", "credentials in the URL are not accepted")]
    [InlineData("s3:http://host/bucket?x=1", "query or fragment")]
    [InlineData("s3:http://host:99999/bucket", "is not a valid http(s) URL")]
    public void Parse_Invalid_ThrowsUsageNamingTheBadPart(string location, string message)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => S3Location.Parse(location));

        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message.Replace(location, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOf_WithAndWithoutPrefix_JoinsWithSlash()
    {
        Assert.Equal("p/q/config", new S3Location(null, "bkt", "p/q").KeyOf("config"));
        Assert.Equal("data/ab/abcd", new S3Location(null, "bkt", string.Empty).KeyOf("data/ab/abcd"));
    }

    [Fact]
    public async Task Open_S3Location_OpensS3StorageWithEnvironmentCredentials()
    {
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKID", ["AWS_SECRET_ACCESS_KEY"] = "very-secret", ["AWS_REGION"] = "eu-west-1" };

        await using var storage = StorageFactory.Open("s3:http://127.0.0.1:1/bucket/prefix", name => env.GetValueOrDefault(name));

        Assert.IsType<S3Storage>(storage);
        Assert.Equal("s3:http://127.0.0.1:1/bucket/prefix", storage.Location);
    }

    [Fact]
    public void FromEnvironment_FileVariants_ReadTrimmedAndSecretNeverShown()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "file-secret\n");
            var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKID", ["AWS_SECRET_ACCESS_KEY_FILE"] = file };

            var credentials = S3Credentials.FromEnvironment(name => env.GetValueOrDefault(name))!;

            Assert.Equal("file-secret", credentials.SecretAccessKey);
            Assert.DoesNotContain("file-secret", credentials.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("file-secret", new S3StorageOptions(new S3Location(null, "bkt", "")) { Credentials = credentials }.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY_FILE) is not set")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID_FILE) is not set")]
    public void FromEnvironment_HalfAPair_ThrowsUsage(string onlySet, string message)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => S3Credentials.FromEnvironment(name => name == onlySet ? "value" : null));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_Nothing_ReturnsNullForTheDefaultChain() =>
        Assert.Null(S3Credentials.FromEnvironment(_ => null));

    [Theory]
    [InlineData(nameof(S3StorageOptions.PartSize), "part size")]
    [InlineData(nameof(S3StorageOptions.MaxConcurrency), "max concurrency")]
    [InlineData(nameof(S3StorageOptions.StorageClass), "cannot be read without a restore")]
    [InlineData(nameof(S3StorageOptions.Region), "invalid S3 region")]
    public void Validate_BadOption_ThrowsUsage(string option, string message)
    {
        var options = new S3StorageOptions(new S3Location(null, "bkt", ""));
        options = option switch
        {
            nameof(S3StorageOptions.PartSize) => options with { PartSize = 1024 },
            nameof(S3StorageOptions.MaxConcurrency) => options with { MaxConcurrency = 0 },
            nameof(S3StorageOptions.StorageClass) => options with { StorageClass = "DEEP_ARCHIVE" },
            _ => options with { Region = "EU West" },
        };

        var e = Assert.ThrowsAny<StackvaultException>(options.Validate);
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
