using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Stackvault.Storage.S3;

/// <summary>Builds the SDK client from validated <see cref="S3StorageOptions"/>.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            // The transport's Polly pipeline is the only retry loop (S3Transport); retries inside the SDK would multiply it.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 0,
            ForcePathStyle = options.PathStyle ?? options.Location.PathStyle,
            MaxConnectionsPerServer = options.MaxConcurrency,
            // Third-party servers (s3rver, older MinIO, Ceph) reject the SDK's default aws-chunked CRC trailers;
            // each write carries a Content-MD5 instead (see S3Storage.Save.cs).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.CaFile is { } caFile)
        {
            config.HttpClientFactory = new CaFileHttpClientFactory(caFile);
        }

        return options.Credentials is { } c
            ? new AmazonS3Client(c.SessionToken is null ? new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey) : new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), config)
            : new AmazonS3Client(config); // the SDK's default chain: AWS_PROFILE, shared credentials file, instance roles
    }

    /// <summary>Trusts exactly the CA certificates of a PEM file (for a private endpoint with its own CA).</summary>
    private sealed class CaFileHttpClientFactory(string caFile) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer ?? 16,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                        {
                            return false; // a name mismatch stays an error
                        }

                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return chain.Build(new X509Certificate2(certificate));
                    },
                },
            };
            return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
