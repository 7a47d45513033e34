using System.Runtime.CompilerServices;
using global::Azure;
using global::Azure.Storage.Blobs.Models;

namespace Stackvault.Storage.AzureBlob;

/// <summary>Flat listing of the blobs under a prefix, page by page, each page through the transport (retried, mapped).</summary>
internal static class AzureListing
{
    public static async IAsyncEnumerable<BlobItem> ListAsync(AzureTransport transport, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await transport.SendAsync(prefix, async ct =>
            {
                await foreach (var p in transport.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, ct).AsPages(continuation, 1000).ConfigureAwait(false))
                {
                    return p;
                }

                return (Page<BlobItem>?)null;
            }, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (var item in page.Values)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }

            continuation = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (continuation is not null);
    }
}
