using System.Collections.Concurrent;
using Stackvault.Tests.Notifications;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// A Mimir ingester stand-in (an <see cref="HttpReceiver"/>) serving <c>/ingester/flush</c>: it records each request
/// (method, path, query) and, like ingesters cutting their head block, runs <c>onFlush</c> (which writes a new block
/// into the test's bucket) before answering with <c>status</c>; any other path is 404. A block that only the flush
/// writes is in a backup only if the flush ran before the bucket was listed.
/// </summary>
internal sealed class MimirIngesterFlushStandIn(Action onFlush, int status = 204) : IDisposable
{
    private const string FlushPath = "/ingester/flush";

    private readonly HttpReceiver _receiver = new(request =>
    {
        if (request.Path != FlushPath)
        {
            return 404;
        }

        onFlush();
        return status;
    });

    public string FlushUrl => _receiver.BaseUrl + FlushPath;

    public ConcurrentQueue<ReceivedRequest> Requests => _receiver.Requests;

    public void Dispose() => _receiver.Dispose();
}
