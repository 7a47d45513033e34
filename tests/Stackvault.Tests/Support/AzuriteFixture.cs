using System.Globalization;
using Azure.Storage.Blobs;
using Stackvault.Storage.AzureBlob;

namespace Stackvault.Tests.Support;

/// <summary>
/// A real Azurite blob service (npm, installed into .build/node by scripts/setup.sh) run as a <see cref="LocalServer"/>
/// (127.0.0.1, a free port, a temp workspace), shared by the Azure test classes through the "azurite" collection and killed at the end. It
/// accepts Azurite's well-known development account.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private LocalServer _server = null!;

    public int Port => _server.Port;

    /// <summary>The blob endpoint of the account, as AZURE_STORAGE_BLOB_ENDPOINT takes it.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/{Account}");

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint={Endpoint};";

    public static string ScriptPath => Path.Combine(S3rverFixture.RepositoryRoot, ".build", "node", "node_modules", "azurite", "dist", "src", "blob", "main.js");

    /// <summary>The environment of a CLI run or a StorageFactory call against this Azurite (shared key).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AZURE_STORAGE_ACCOUNT"] = Account,
        ["AZURE_STORAGE_KEY"] = Key,
        ["AZURE_STORAGE_BLOB_ENDPOINT"] = Endpoint.ToString(),
        ["STACKVAULT_AZURE_BACKOFF_MS"] = "5",
    };

    public async Task InitializeAsync()
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException($"{ScriptPath} is missing: run scripts/setup.sh");
        }

        _server = await LocalServer.StartAsync("node", (port, data) =>
            [ScriptPath, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", data, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose"],
            readyPath: null);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A client of the SDK, independent of the code under test, for setup and inspection.</summary>
    public BlobServiceClient CreateClient() => new(ConnectionString);

    /// <summary>A fresh container name (not created).</summary>
    public static string NewContainerName() => "sv-" + Guid.NewGuid().ToString("N")[..20];

    public async Task<string> NewContainerAsync()
    {
        var name = NewContainerName();
        await CreateClient().GetBlobContainerClient(name).CreateAsync();
        return name;
    }

    /// <summary>Options for a storage in the container under the prefix.</summary>
    public AzureStorageOptions Options(string container, string prefix = "repo") =>
        Stackvault.Storage.StorageFactory.AzureOptions($"azure://{container}/{prefix}", name => Environment.GetValueOrDefault(name)) with { Time = InstantTimeProvider.Instance };
}
