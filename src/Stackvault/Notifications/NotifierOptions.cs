namespace Stackvault.Notifications;

/// <summary>
/// How a <see cref="Notifier"/> sends: the clock (for delays, timeouts and Alertmanager times), the pause before the
/// one retry, the per-attempt timeout when a target sets none, the HTTP handler (tests), and the name said in EHLO.
/// </summary>
public sealed record NotifierOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public HttpMessageHandler? HttpHandler { get; init; }

    public string ClientName { get; init; } = System.Net.Dns.GetHostName();
}
