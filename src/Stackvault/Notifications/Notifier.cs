using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Notifications;

/// <summary>
/// Sends a job run's outcome to every configured target whose <c>on</c> and <c>jobs</c> filters match, all at once.
/// Never throws for a target's failure (only when <c>cancellationToken</c> is cancelled): each target gives a
/// <see cref="NotificationResult"/>, and a failed one is a warning for the caller. A connection error, a timeout, an
/// HTTP 5xx/429 or an SMTP 4xx is retried once after <see cref="NotifierOptions.RetryDelay"/>.
/// </summary>
public sealed partial class Notifier : IDisposable
{
    private readonly HttpClient _http;
    private readonly NotifierOptions _options;

    public Notifier(IEnumerable<NotificationTarget> targets, NotifierOptions? options = null)
    {
        Targets = [.. targets];
        _options = options ?? new NotifierOptions();
        _http = _options.HttpHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    public IReadOnlyList<NotificationTarget> Targets { get; }

    public static Notifier FromConfig(StackvaultConfig config, NotifierOptions? options = null) => new(config.Notifications.Values, options);

    /// <summary>Sends to every matching target (a test notification goes to all); the results in target order.</summary>
    public async ValueTask<IReadOnlyList<NotificationResult>> NotifyAsync(JobNotification notification, CancellationToken cancellationToken)
    {
        var sends = Targets
            .Where(t => notification.IsTest || t.Matches(notification.Job, notification.Status))
            .Select(t => SendAsync(t, notification, cancellationToken).AsTask());
        return await Task.WhenAll(sends);
    }

    /// <summary>Sends to one target regardless of its filters.</summary>
    public async ValueTask<NotificationResult> SendAsync(NotificationTarget target, JobNotification notification, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            url = target.Url.Reveal();
        }
        catch (StackvaultException e)
        {
            return new NotificationResult(target.Name, "unknown", "unknown", false, 0, e.Message);
        }

        if (!NotificationEndpoint.TryParse(url, out var endpoint, out var parseError))
        {
            return new NotificationResult(target.Name, "unknown", "unknown", false, 0, parseError);
        }

        var title = NotificationTemplate.Render(target.Title ?? NotificationTemplate.DefaultTitle, notification);
        var body = NotificationTemplate.Render(target.Template ?? NotificationTemplate.DefaultBody, notification);
        var timeout = target.Timeout ?? _options.Timeout;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(endpoint!, notification, title, body, timeout, cancellationToken);
            if (outcome.Ok || !outcome.Retryable || attempt == 2)
            {
                var error = outcome.Error is null ? null : endpoint!.Scrub(outcome.Error);
                return new NotificationResult(target.Name, endpoint!.KindName, endpoint.Display, outcome.Ok, attempt, error);
            }

            await Task.Delay(_options.RetryDelay, _options.Time, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
