using Stackvault.Tests.Buckets;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.AzureBlob;

/// <summary>The real CLI against Azurite: an azure:// repository (init creates the container), copy to and from it, and an Azure container as bucket source and target.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureCliTests(AzuriteFixture server)
{
    [Fact]
    public async Task Cli_InitCreatesContainer_BackupRestoreVerify_CopyToAndFromAzure()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(11);
        generator.File(Path.Combine(source, "prometheus", "chunks", "000001"), 3 * 1024 * 1024, compressible: false);
        generator.File(Path.Combine(source, "grafana", "grafana.db"), 200_000);
        var container = AzuriteFixture.NewContainerName();
        var azure = Cli($"azure://{container}/stack/prod", "azure-password");

        await azure.InitAsync();
        Assert.True((await server.CreateClient().GetBlobContainerClient(container).ExistsAsync()).Value);
        await azure.RunOkAsync("backup", source);
        var restored = temp.Sub("restore");
        await azure.RunOkAsync("restore", "latest", "--target", restored);
        await azure.RunOkAsync("verify", "--read-data");
        TreeComparer.AssertSame(source, restored + source);

        var local = new CliRunner(temp.Sub("local"), "local-password");
        await local.InitAsync();
        await local.RunOkAsync("backup", Path.Combine(source, "grafana"));
        azure.Environment["STACKVAULT_FROM_PASSWORD"] = "local-password";
        var toAzure = (await azure.RunOkAsync("copy", "--from-repo", local.Repository, "--json")).Json();
        Assert.Equal(1, toAzure.GetProperty("snapshots_copied").GetInt32());

        var back = Cli(temp.Sub("back"), "back-password");
        await back.InitAsync();
        back.Environment["STACKVAULT_FROM_PASSWORD"] = "azure-password";
        var fromAzure = (await back.RunOkAsync("copy", "--from-repo", $"azure://{container}/stack/prod", "--json")).Json();
        Assert.Equal(2, fromAzure.GetProperty("snapshots_copied").GetInt32());
        await back.RunOkAsync("verify", "--read-data");
        var again = temp.Sub("again");
        await back.RunOkAsync("restore", "latest", "--target", again); // the local grafana backup, copied local -> azure -> back
        TreeComparer.AssertSame(Path.Combine(source, "grafana"), again + Path.Combine(source, "grafana"));
    }

    [Fact]
    public async Task Bucket_AzureContainerAsSourceAndTarget_SameBlockRules_RestoredByteIdentical()
    {
        using var temp = new TempDirectory();
        var layout = new MimirBucketLayout(temp.Sub("mimir"));
        var source = await server.NewContainerAsync();
        var client = server.CreateClient().GetBlobContainerClient(source);
        foreach (var key in layout.Keys)
        {
            await client.GetBlobClient("blocks/" + key).UploadAsync(Path.Combine(layout.Root, key));
        }

        var cli = Cli(temp.Sub("repo"), "test-password");
        await cli.InitAsync();

        var backup = await cli.ExpectAsync(3, "bucket", "backup", "--source", $"azure://{source}/blocks", "--layout", "mimir", "--json");
        var again = await cli.ExpectAsync(3, "bucket", "backup", "--source", $"azure://{source}/blocks", "--layout", "mimir", "--json");
        var target = AzuriteFixture.NewContainerName();
        await server.CreateClient().GetBlobContainerClient(target).CreateAsync();
        await cli.RunOkAsync("bucket", "restore", "latest", "--target", $"azure://{target}/restored");

        Assert.Equal(layout.DefaultSelection.Count, backup.Message("summary").GetProperty("files_new").GetInt32());
        Assert.Equal(0, again.Message("summary").GetProperty("files_new").GetInt32()); // unchanged blobs recognised by Content-MD5
        var copy = temp.Sub("copy");
        await foreach (var blob in server.CreateClient().GetBlobContainerClient(target).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "restored/", CancellationToken.None))
        {
            var path = Path.Combine(copy, blob.Name["restored/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await server.CreateClient().GetBlobContainerClient(target).GetBlobClient(blob.Name).DownloadToAsync(path);
        }

        BucketTestBed.AssertSameObjects(layout.Root, layout.RestoredByDefault, copy);
    }

    private CliRunner Cli(string repository, string password)
    {
        var cli = new CliRunner(repository, password);
        foreach (var (name, value) in server.Environment)
        {
            cli.Environment[name] = value;
        }

        return cli;
    }
}
