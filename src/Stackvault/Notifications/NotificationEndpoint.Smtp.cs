namespace Stackvault.Notifications;

/// <summary>Parses <c>smtp://user:pass@host:port/?from=a@b&amp;to=c@d,e@f&amp;starttls=no|yes|auto</c>.</summary>
internal sealed partial record NotificationEndpoint
{
    private static bool TryParseSmtp(string original, bool implicitTls, string rest, out NotificationEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        if (!Uri.TryCreate("smtp://" + rest, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "not a valid smtp URL: smtp://[user:password@]host[:port]/?from=ADDRESS&to=ADDRESS[,ADDRESS]";
            return false;
        }

        var query = ParseQuery(uri.Query);
        var unknown = query.Keys.FirstOrDefault(k => k is not ("from" or "to" or "starttls"));
        if (unknown is not null)
        {
            error = "unknown smtp URL parameter: use from, to and starttls";
            return false;
        }

        var startTls = SmtpStartTls.Auto;
        if (query.TryGetValue("starttls", out var mode))
        {
            if (implicitTls || !TryParseStartTls(mode, out startTls))
            {
                error = implicitTls ? "starttls is for smtp://; smtps:// uses TLS from the start" : "starttls must be no, yes or auto";
                return false;
            }
        }

        var from = query.GetValueOrDefault("from");
        var to = query.GetValueOrDefault("to")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (from is null || !IsAddress(from) || to.Length == 0 || !to.All(IsAddress))
        {
            error = "an smtp URL needs from=ADDRESS and to=ADDRESS[,ADDRESS] (plain addresses such as ops@example.org)";
            return false;
        }

        var (user, password) = SplitUserInfo(uri.UserInfo);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (implicitTls ? 465 : 25) : uri.Port;
        var settings = new SmtpSettings(uri.IdnHost, port, implicitTls, implicitTls ? SmtpStartTls.No : startTls, user, password, from, to);
        error = null;
        endpoint = new NotificationEndpoint(NotificationKind.Smtp, null, user, password, settings)
        {
            Secrets = SecretParts(original, uri.UserInfo, user, password),
        };
        return true;
    }

    private static bool TryParseStartTls(string text, out SmtpStartTls mode)
    {
        mode = text switch { "yes" or "true" => SmtpStartTls.Yes, "no" or "false" => SmtpStartTls.No, _ => SmtpStartTls.Auto };
        return text is "yes" or "true" or "no" or "false" or "auto";
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            result[key] = Uri.UnescapeDataString(equals < 0 ? string.Empty : pair[(equals + 1)..]);
        }

        return result;
    }

    /// <summary>A plain address: one '@', no spaces, angle brackets, commas or line breaks (they would inject headers).</summary>
    internal static bool IsAddress(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && text.Length <= 254
            && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')');
    }
}
