namespace Stackvault.Notifications;

/// <summary>
/// How a <see cref="Notifier"/> sends: the clock (for delays, timeouts and Alertmanager times), the pause before the
/// one retry (and how many retries), the per-attempt timeout when a target sets none, the HTTP handler (tests), the name said in EHLO and the
/// SMTP certificate check.
/// </summary>
public sealed record NotifierOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a retryable failure is tried again (one by default).</summary>
    public int Retries { get; init; } = 1;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public HttpMessageHandler? HttpHandler { get; init; }

    public string ClientName { get; init; } = System.Net.Dns.GetHostName();

    /// <summary>Checks an SMTP server's TLS certificate; null: the system's CAs and the host name (tests pin their own).</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? CertificateValidation { get; init; }
}
