using global::Azure;
using global::Azure.Core;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;
using Stackvault.Errors;
using Stackvault.Storage.S3;

namespace Stackvault.Storage.AzureBlob;

/// <summary>
/// The storage account and how to authenticate to it, from the environment (each secret also as <c>*_FILE</c>):
/// <c>AZURE_STORAGE_CONNECTION_STRING</c>; or <c>AZURE_STORAGE_ACCOUNT</c> with <c>AZURE_STORAGE_KEY</c> (shared key)
/// or <c>AZURE_STORAGE_SAS_TOKEN</c>. <c>AZURE_STORAGE_BLOB_ENDPOINT</c> names a custom endpoint (Azurite:
/// <c>http://127.0.0.1:10000/ACCOUNT</c>); otherwise <c>https://ACCOUNT.blob.core.windows.net</c>.
/// <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed class AzureAccount
{
    private readonly Func<BlobClientOptions, BlobServiceClient> _create;

    private AzureAccount(string description, Uri? endpoint, Func<BlobClientOptions, BlobServiceClient> create)
    {
        Description = description;
        Endpoint = endpoint;
        _create = create;
    }

    /// <summary>For messages: the endpoint and the kind of credential, never the secret.</summary>
    public string Description { get; }

    public Uri? Endpoint { get; }

    /// <exception cref="StackvaultException">No usable combination is set, or a secret is set twice (exit code Usage).</exception>
    public static AzureAccount FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var connection = S3Credentials.Read(getVariable, "AZURE_STORAGE_CONNECTION_STRING");
        var account = NonEmpty(getVariable("AZURE_STORAGE_ACCOUNT"));
        var key = S3Credentials.Read(getVariable, "AZURE_STORAGE_KEY");
        var sas = S3Credentials.Read(getVariable, "AZURE_STORAGE_SAS_TOKEN");
        var endpointText = NonEmpty(getVariable("AZURE_STORAGE_BLOB_ENDPOINT"));
        Uri? endpoint = null;
        if (endpointText is not null && (!Uri.TryCreate(endpointText.TrimEnd('/'), UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new UsageException($"AZURE_STORAGE_BLOB_ENDPOINT '{endpointText}' is not an http(s) URL");
        }

        if (connection is not null)
        {
            if (key is not null || sas is not null)
            {
                throw new UsageException("AZURE_STORAGE_CONNECTION_STRING is set together with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN; set one way to authenticate");
            }

            return new AzureAccount("an Azure connection string", endpoint, options => new BlobServiceClient(connection, options));
        }

        if (account is null)
        {
            throw new UsageException("Azure storage needs AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN (each secret also as *_FILE)");
        }

        var uri = endpoint ?? new Uri($"https://{account}.blob.core.windows.net");
        return (key, sas) switch
        {
            (not null, not null) => throw new UsageException("both AZURE_STORAGE_KEY and AZURE_STORAGE_SAS_TOKEN are set; set one"),
            (not null, null) => new AzureAccount($"account {account} at {uri} (shared key)", uri, options => new BlobServiceClient(uri, new StorageSharedKeyCredential(account, key), options)),
            (null, not null) => new AzureAccount($"account {account} at {uri} (SAS token)", uri, options => new BlobServiceClient(uri, new AzureSasCredential(sas.TrimStart('?')), options)),
            _ => throw new UsageException($"AZURE_STORAGE_ACCOUNT is set but neither AZURE_STORAGE_KEY nor AZURE_STORAGE_SAS_TOKEN (or their _FILE variants)"),
        };
    }

    /// <summary>A client whose own retries are off: the storage's Polly pipeline is the one retry loop.</summary>
    public BlobServiceClient CreateClient()
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.NetworkTimeout = TimeSpan.FromMinutes(5);
        return _create(options);
    }

    public override string ToString() => Description;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
