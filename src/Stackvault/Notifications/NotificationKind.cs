namespace Stackvault.Notifications;

/// <summary>The kinds of notification target, chosen by the URL's scheme.</summary>
public enum NotificationKind
{
    /// <summary><c>generic+https://</c>, <c>generic+http://</c>, plain <c>https://</c>: a JSON document POSTed.</summary>
    Generic,

    /// <summary><c>slack://hooks.slack.com/services/T/B/X</c>, <c>slack+https://</c>, <c>slack+http://</c>: an incoming webhook.</summary>
    Slack,

    /// <summary><c>alertmanager+http(s)://host:port</c>: an alert POSTed to <c>/api/v2/alerts</c>.</summary>
    Alertmanager,

    /// <summary>
    /// <c>discord://discord.com/api/webhooks/ID/TOKEN</c>, <c>discord+https://</c>, <c>discord+http://</c>: Discord's
    /// execute-webhook API (a message with one embed).
    /// </summary>
    Discord,

    /// <summary><c>smtp://</c> (STARTTLS no|yes|auto) or <c>smtps://</c> (TLS from the start): an email.</summary>
    Smtp,
}
