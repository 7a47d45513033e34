using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary>
/// <c>config validate</c> accepts only what the commands can open: repository locations and bucket URLs are checked
/// against the storage backends' one list (Storage/StorageSchemes.cs), so a scheme no backend serves exits 2 there
/// instead of failing later at backup.
/// </summary>
public sealed class StorageSchemesTests
{
    [Theory]
    [InlineData("gs://bucket/stackvault")]
    [InlineData("sftp:user@host:/srv/backups")]
    [InlineData("rest:https://backup.example:8000/")]
    [InlineData("b2:bucket:/path")]
    public async Task RepositoryOfASchemeNoBackendOpens_Exit2_NamingIt(string url)
    {
        using var temp = new TempDirectory();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: "{{url}}", password: pw }
            components:
              etc: { type: files, paths: [/etc/hostname] }
            jobs:
              j: { repository: main, components: [etc] }
            """);

        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "config", "validate", "--config", config);

        var scheme = url[..url.IndexOf(':', StringComparison.Ordinal)];
        Assert.Contains($"repositories.main.url (line 2): scheme '{scheme}:' has no storage backend", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gs://bucket/mimir")]
    [InlineData("ftp://host/bucket")]
    public async Task BucketOfASchemeNoBackendOpens_Exit2(string url)
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              b: { type: bucket, url: "{{url}}", layout: mimir }
            jobs:
              j: { repository: main, components: [b] }
            """);

        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "config", "validate", "--config", config);

        Assert.Contains("components.b.url", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("has no bucket backend in this version", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/var/backups/stackvault")]
    [InlineData("s3://bucket/prefix")]
    [InlineData("s3:http://127.0.0.1:9000/bucket")]
    [InlineData("file:///var/backups/stackvault")]
    [InlineData("azure://backups/stack")]
    public async Task RepositoryTheBackendsOpen_Validates(string url)
    {
        using var temp = new TempDirectory();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: "{{url}}", password: pw }
            """);

        await new CliRunner(temp.Sub("repo")).ExpectAsync(0, "config", "validate", "--config", config);
    }
}
