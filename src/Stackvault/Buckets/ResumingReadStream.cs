using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Buckets;

/// <summary>
/// An object's content read forward; when the connection breaks mid-body (reset, stall), the read goes on with a range
/// request from the current position, a few times, so one broken transfer does not lose the object.
/// </summary>
internal sealed class ResumingReadStream(S3BucketStore store, string key) : Stream
{
    private const int MaxResumes = 5;
    private GetObjectResponse? _response;
    private long _position;
    private int _resumes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public async ValueTask OpenAsync(long offset, CancellationToken cancellationToken)
    {
        _response?.Dispose();
        _response = null;
        _response = await store.GetAsync(key, offset, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(TimeSpan.FromSeconds(60));
                var n = await _response!.ResponseStream.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                _position += n;
                return n;
            }
            catch (Exception e) when ((e is IOException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)) && _resumes < MaxResumes)
            {
                _resumes++;
                await OpenAsync(_position, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new StackvaultException($"reading '{key}' broke off {MaxResumes + 1} times, last at byte {_position}: {e.Message}", ExitCode.Failure, e);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
        }

        base.Dispose(disposing);
    }
}
