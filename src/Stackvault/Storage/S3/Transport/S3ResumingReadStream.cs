using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Storage.S3.Transport;

/// <summary>
/// An object's content read forward; when the connection breaks mid-body (reset, or a stall: nothing received for the
/// idle timeout), the read goes on with a range request from the current position, a few times, so one broken
/// transfer does not lose the object. A resumed read asks for the same object (If-Match on the first answer's ETag)
/// and checks the ETag it gets, so bytes of an object replaced meanwhile are never joined to the old one's: that is
/// an error naming the change, whatever form the ETag has (a multipart ETag, unlike a single-part MD5, would let
/// such a mix through the check below). The content read is checked at the end against what the first answer offers
/// (<see cref="S3ContentCheck"/>): a full-object checksum stored with the object, asked for with
/// <c>x-amz-checksum-mode: ENABLED</c>, else a single-part ETag (the content's MD5).
/// </summary>
public sealed class S3ResumingReadStream(S3Transport transport, string key, TimeSpan idleTimeout) : Export.ReadOnlyStream
{
    private const int MaxResumes = 5;
    private GetObjectResponse? _response;
    private Stream? _body;
    private S3ContentCheck? _check;
    private string? _etag;
    private bool _opened;
    private bool _ended;
    private long _position;
    private int _resumes;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public async ValueTask OpenAsync(long offset, CancellationToken cancellationToken)
    {
        _response?.Dispose();
        _response = null;
        try
        {
            _response = await transport.GetAsync(key, offset, length: null, ifMatch: _opened ? _etag : null, checksums: !_opened, cancellationToken).ConfigureAwait(false);
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new StackvaultException($"s3://{transport.Bucket}/{key}: the object disappeared since it was listed", e);
        }
        catch (StackvaultException e) when (_opened && e.InnerException is Amazon.S3.AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.PreconditionFailed })
        {
            throw Replaced(offset, "another", e); // If-Match refused: S3 and MinIO say so before sending a byte
        }

        if (_opened && _response is not null && S3Transport.Unquote(_response.ETag) != S3Transport.Unquote(_etag))
        {
            throw Replaced(offset, S3Transport.Unquote(_response.ETag) ?? "none", null);
        }

        // The SDK wraps a whole-object GET in its own check (the ETag's MD5, or a stored checksum) in managed code, the
        // MD5 most of the CPU of a bucket backup; read the connection's stream and check with S3ContentCheck instead.
        _body = _response?.ResponseStream is Amazon.Runtime.Internal.Util.WrapperStream wrapped ? wrapped.GetNonWrapperBaseStream() ?? wrapped : _response?.ResponseStream;
        if (!_opened)
        {
            _opened = true;
            _etag = _response?.ETag;
            _check = _response is null ? null : S3ContentCheck.For(_response);
            CheckedBy = _check?.Name;
        }
    }

    /// <summary>What the content is checked against at its end ("CRC64NVME", "ETag", ...), or null: its listed size only.</summary>
    public string? CheckedBy { get; private set; }

    /// <summary>
    /// The stream to read the opened content from: this one, unless its check is an MD5 (a single-part ETag, MD5 most of
    /// a bucket backup's CPU): then a <see cref="Crypto.Md5.Md5CheckedStream"/>
    /// over this one makes that check, hashing this content alongside the other objects read at the time.
    /// </summary>
    public Stream CheckedInLanes()
    {
        if (_check is not { IsMd5: true } check)
        {
            return this;
        }

        _check = null;
        check.Dispose();
        return new Crypto.Md5.Md5CheckedStream(this, check.Expected.ToArray(), (actual, length) => Damaged(check.Describe(actual, length)));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (buffer.Length == 0)
            {
                return 0;
            }

            if (_body is null)
            {
                return Finish(0); // an empty object, or a resume found nothing left
            }

            try
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(idleTimeout);
                var n = await _body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                _check?.Append(buffer.Span[..n]);
                _position += n;
                return Finish(n);
            }
            catch (Exception e) when (Broken(e, cancellationToken) && _resumes < MaxResumes)
            {
                _resumes++;
                await OpenAsync(_position, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Broken(e, cancellationToken))
            {
                var why = e is OperationCanceledException ? $"nothing received for {idleTimeout.TotalSeconds:0.###} s" : e.Message;
                throw new StackvaultException($"reading '{key}' broke off {MaxResumes + 1} times, last at byte {_position}: {why}", e);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
            _check?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The object was replaced between the first read and a resumed one: nothing of the new one is taken.</summary>
    private StackvaultException Replaced(long offset, string now, Exception? inner) =>
        new($"'{key}': the object changed while it was read (ETag {S3Transport.Unquote(_etag)} up to byte {offset}, {now} when the broken read was resumed): left out, it is read again by the next backup", inner);

    private string Damaged(string mismatch) => $"'{key}': {mismatch}: damaged in transfer or changed while read";

    private static bool Broken(Exception e, CancellationToken cancellationToken) =>
        e is IOException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>At the end of the content (read 0 of a non-empty buffer, once), checks it (<see cref="S3ContentCheck"/>).</summary>
    private int Finish(int read)
    {
        if (read == 0 && !_ended && _check is not null)
        {
            _ended = true;
            if (_check.Mismatch(_position) is { } mismatch)
            {
                throw new StackvaultException(Damaged(mismatch));
            }
        }

        return read;
    }
}
