using Polly;
using Polly.Retry;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Notifications;

/// <summary>
/// Sends a job run's outcome to every configured target whose <c>on</c> and <c>jobs</c> filters match, all at once.
/// Never throws for a target's failure (only when <c>cancellationToken</c> is cancelled): each target gives a
/// <see cref="NotificationResult"/>, and a failed one is a warning for the caller. A connection error, a timeout, an
/// HTTP 5xx/429 or an SMTP 4xx is retried once after <see cref="NotifierOptions.RetryDelay"/>, by a Polly retry
/// pipeline on the injected clock (<see cref="NotifierOptions.Time"/>), so tests wait on a fake clock, not for real.
/// </summary>
public sealed partial class Notifier : IDisposable
{
    private readonly HttpClient _http;
    private readonly NotifierOptions _options;
    private readonly ResiliencePipeline<AttemptOutcome> _retry;

    public Notifier(IEnumerable<NotificationTarget> targets, NotifierOptions? options = null)
    {
        Targets = [.. targets];
        _options = options ?? new NotifierOptions();
        _http = _options.HttpHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        _retry = RetryPipeline(_options);
    }

    /// <summary>One retry of a retryable outcome, after a constant delay without jitter.</summary>
    internal static ResiliencePipeline<AttemptOutcome> RetryPipeline(NotifierOptions options) =>
        new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Retryable: true }),
            })
            .Build();

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
        var attempts = 0;
        var outcome = await _retry.ExecuteAsync(
            async token =>
            {
                attempts++;
                return await AttemptAsync(endpoint!, notification, title, body, timeout, token);
            },
            cancellationToken);
        var error = outcome.Error is null ? null : endpoint!.Scrub(outcome.Error);
        return new NotificationResult(target.Name, endpoint!.KindName, endpoint.Display, outcome.Ok, attempts, error);
    }

    public void Dispose() => _http.Dispose();
}
