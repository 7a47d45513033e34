using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// A minimal SMTP server for tests (TcpListener on 127.0.0.1, a free port): it offers the given AUTH mechanisms,
/// records every command and the DATA as received on the wire (still dot-stuffed), and can refuse the first
/// MAIL FROM with a 4xx to exercise the retry. One connection at a time.
/// </summary>
public sealed partial class SmtpTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _authMechanisms;
    private readonly bool _offerStartTls;
    private readonly Task _loop;
    private int _transientFailures;
    private bool _tls;

    public SmtpTestServer(string authMechanisms = "PLAIN LOGIN", bool offerStartTls = false, int transientFailures = 0)
    {
        _authMechanisms = authMechanisms;
        _offerStartTls = offerStartTls;
        _transientFailures = transientFailures;
        if (offerStartTls)
        {
            Certificate = SelfSigned();
        }

        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> Commands { get; } = [];

    /// <summary>The raw DATA lines, dot-stuffed as sent, without the final ".".</summary>
    public List<string> DataLines { get; } = [];

    public int Connections { get; private set; }

    /// <summary>The self-signed certificate offered after STARTTLS (only when STARTTLS is offered).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>How many commands came before the TLS handshake (-1: no TLS).</summary>
    public int CommandsBeforeTls { get; private set; } = -1;

    public bool Delivered { get; private set; }

    private async Task LoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (client)
            {
                Connections++;
                try
                {
                    _tls = false;
                    await SessionAsync(client.GetStream(), greet: true);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                {
                }
            }
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public void Dispose()
    {
        Certificate?.Dispose();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
