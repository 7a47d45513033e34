using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Stackvault.Notifications;

/// <summary>
/// The line protocol under <see cref="SmtpSender"/>: CRLF lines, multi-line replies (<c>250-...</c> then <c>250 ...</c>),
/// and the switch to TLS (directly for smtps://, after STARTTLS for smtp://).
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private const int MaxLine = 4096;
    private readonly TcpClient _client;
    private readonly byte[] _buffer = new byte[4096];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async ValueTask<SmtpConnection> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return new SmtpConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async ValueTask StartTlsAsync(string host, RemoteCertificateValidationCallback? validation, CancellationToken cancellationToken)
    {
        if (_start != _end)
        {
            throw new SmtpReplyException(554, "the server sent data before the TLS handshake");
        }

        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host, RemoteCertificateValidationCallback = validation }, cancellationToken);
        _stream = tls;
    }

    public async ValueTask WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public async ValueTask WriteAsync(byte[] data, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(data, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one reply: its code and its text lines (without the code).</summary>
    public async ValueTask<(int Code, IReadOnlyList<string> Lines)> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpReplyException(554, "the server's reply is not SMTP");
            }

            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return (code, lines);
            }

            if (lines.Count > 100)
            {
                throw new SmtpReplyException(554, "the server's reply has too many lines");
            }
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, cancellationToken);
                if (_end == 0)
                {
                    throw new IOException("the SMTP server closed the connection");
                }
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            line.Append(Encoding.UTF8.GetString(_buffer, _start, stop - _start));
            _start = newline < 0 ? _end : newline + 1;
            if (line.Length > MaxLine)
            {
                throw new SmtpReplyException(554, "the server's reply line is too long");
            }

            if (newline >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
