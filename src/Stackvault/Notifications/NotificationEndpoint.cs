namespace Stackvault.Notifications;

/// <summary>
/// A parsed notification URL (shoutrrr style). <see cref="Target"/> is the HTTP(S) address to POST to, without user
/// information; <see cref="Display"/> is safe to print. <see cref="Secrets"/> lists the parts of the URL that must be
/// scrubbed from any message (the URL itself, its credentials, its path and query, which may hold a token).
/// </summary>
internal sealed partial record NotificationEndpoint(NotificationKind Kind, Uri? Target, string? User, string? Password, SmtpSettings? Smtp)
{
    public const string Schemes = "generic+https, generic+http, https, http, slack, slack+https, slack+http, discord, discord+https, discord+http, alertmanager+https, alertmanager+http, smtp, smtps";

    public IReadOnlyList<string> Secrets { get; private init; } = [];

    public string KindName => KindNameOf(Kind);

    /// <summary>The kind and the host:port, e.g. <c>slack hooks.slack.com:443</c>.</summary>
    public string Display => Smtp is { } smtp ? $"smtp {smtp.Host}:{smtp.Port}" : $"{KindName} {Target!.Host}:{Target.Port}";

    public static string KindNameOf(NotificationKind kind) => kind switch
    {
        NotificationKind.Generic => "generic",
        NotificationKind.Slack => "slack",
        NotificationKind.Alertmanager => "alertmanager",
        NotificationKind.Discord => "discord",
        _ => "smtp",
    };

    /// <summary>Parses a URL; the error never quotes the URL (it is a secret), only what is wrong with it.</summary>
    public static bool TryParse(string url, out NotificationEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"not a notification URL: use a scheme ({Schemes})";
            return false;
        }

        var scheme = url[..separator].ToLowerInvariant();
        var rest = url[(separator + 3)..];
        (NotificationKind Kind, string Http)? http = scheme switch
        {
            "generic+https" or "https" => (NotificationKind.Generic, "https://"),
            "generic+http" or "http" => (NotificationKind.Generic, "http://"),
            "slack" or "slack+https" => (NotificationKind.Slack, "https://"),
            "slack+http" => (NotificationKind.Slack, "http://"),
            "discord" or "discord+https" => (NotificationKind.Discord, "https://"),
            "discord+http" => (NotificationKind.Discord, "http://"),
            "alertmanager+https" => (NotificationKind.Alertmanager, "https://"),
            "alertmanager+http" => (NotificationKind.Alertmanager, "http://"),
            _ => null,
        };
        if (http is { } h)
        {
            return TryParseHttp(url, h.Kind, h.Http + rest, out endpoint, out error);
        }

        if (scheme is "smtp" or "smtps")
        {
            return TryParseSmtp(url, scheme == "smtps", rest, out endpoint, out error);
        }

        var safeScheme = scheme.Length <= 20 && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? $" '{scheme}'" : string.Empty;
        error = $"unknown notification scheme{safeScheme}: use one of {Schemes}";
        return false;
    }

    private static bool TryParseHttp(string original, NotificationKind kind, string text, out NotificationEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "not a valid URL after the scheme (host, optional :port and path expected)";
            return false;
        }

        var (user, password) = SplitUserInfo(uri.UserInfo);
        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (kind == NotificationKind.Alertmanager)
        {
            builder.Path = builder.Path.TrimEnd('/') + "/api/v2/alerts";
        }

        error = null;
        endpoint = new NotificationEndpoint(kind, builder.Uri, user, password, null)
        {
            Secrets = SecretParts(original, uri.UserInfo, user, password, uri.PathAndQuery.Length > 1 ? uri.PathAndQuery : null, uri.AbsolutePath.Length > 1 ? uri.AbsolutePath : null, uri.Query),
        };
        return true;
    }

    internal static (string? User, string? Password) SplitUserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    internal static IReadOnlyList<string> SecretParts(params string?[] parts) =>
        [.. parts.OfType<string>().Where(p => p.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length)];

    /// <summary>Only <see cref="Display"/>: the generated form would print the credentials and the token.</summary>
    public override string ToString() => Display;

    /// <summary>Replaces every secret part of the URL in <paramref name="text"/> with <c>***</c>.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in Secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
