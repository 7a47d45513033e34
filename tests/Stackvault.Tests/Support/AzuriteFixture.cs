using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Stackvault.Storage.AzureBlob;

namespace Stackvault.Tests.Support;

/// <summary>
/// A real Azurite blob service (npm, installed into .build/node by scripts/setup.sh) on 127.0.0.1 with a free port and
/// a temp workspace, shared by the Azure test classes through the "azurite" collection and killed at the end. It
/// accepts Azurite's well-known development account.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _data = Directory.CreateTempSubdirectory("sv-azurite-").FullName;
    private Process? _process;

    public int Port { get; private set; }

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

        Port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ScriptPath, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _data, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(Endpoint);
                return; // any HTTP answer means it listens
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
