using System.Globalization;
using Stackvault.Errors;

namespace Stackvault.Daemon;

/// <summary><c>--listen HOST:PORT</c> (default 127.0.0.1:9464; <c>0.0.0.0</c> or an empty host means every interface).</summary>
public sealed record ListenAddress(string Host, int Port)
{
    public const string Default = "127.0.0.1:9464";

    public static ListenAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--listen '{text}': expected HOST:PORT, e.g. {Default}");
        }

        var host = text[..colon].Trim('[', ']');
        return new ListenAddress(host, port);
    }

    /// <summary>The HttpListener prefix: <c>http://HOST:PORT/</c>, with <c>+</c> for every interface.</summary>
    public string Prefix => Host is "" or "0.0.0.0" or "::" or "*" ? $"http://+:{Port}/" : Host.Contains(':', StringComparison.Ordinal) ? $"http://[{Host}]:{Port}/" : $"http://{Host}:{Port}/";

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
