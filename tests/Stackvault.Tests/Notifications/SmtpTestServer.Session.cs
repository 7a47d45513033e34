using System.Net.Security;
using System.Text;

namespace Stackvault.Tests.Notifications;

/// <summary>One SMTP session: the replies to each command, and the switch to TLS after STARTTLS.</summary>
public sealed partial class SmtpTestServer
{
    private async Task SessionAsync(Stream stream, bool greet)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 1024, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        if (greet)
        {
            await writer.WriteLineAsync("220 test.local ESMTP ready");
        }

        while (await reader.ReadLineAsync() is { } line)
        {
            lock (Commands)
            {
                Commands.Add(line);
            }

            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-test.local greets you");
                    if (_offerStartTls && !_tls)
                    {
                        await writer.WriteLineAsync("250-STARTTLS");
                    }

                    await writer.WriteLineAsync(_authMechanisms.Length > 0 ? $"250-AUTH {_authMechanisms}" : "250-PIPELINING");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "AUTH" when line.StartsWith("AUTH LOGIN", StringComparison.Ordinal):
                    await writer.WriteLineAsync("334 VXNlcm5hbWU6");
                    Commands.Add(await reader.ReadLineAsync() ?? string.Empty);
                    await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
                    Commands.Add(await reader.ReadLineAsync() ?? string.Empty);
                    await writer.WriteLineAsync("235 2.7.0 authenticated");
                    break;
                case "AUTH":
                    await writer.WriteLineAsync("235 2.7.0 authenticated");
                    break;
                case "MAIL" when _transientFailures > 0:
                    _transientFailures--;
                    await writer.WriteLineAsync("451 4.3.0 try again later");
                    break;
                case "MAIL" or "RCPT" or "RSET" or "NOOP":
                    await writer.WriteLineAsync("250 ok");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with .");
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                        DataLines.Add(data);
                    }

                    Delivered = true;
                    await writer.WriteLineAsync("250 2.0.0 queued");
                    break;
                case "STARTTLS" when _offerStartTls && !_tls:
                    await writer.WriteLineAsync("220 2.0.0 ready to start TLS");
                    CommandsBeforeTls = Commands.Count;
                    _tls = true;
                    await using (var tls = new SslStream(stream, leaveInnerStreamOpen: true))
                    {
                        await tls.AuthenticateAsServerAsync(Certificate!);
                        await SessionAsync(tls, greet: false);
                    }

                    return;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 command not implemented");
                    break;
            }
        }
    }
}
