using System.Globalization;
using System.Text.RegularExpressions;
using Stackvault.Configuration;

namespace Stackvault.Notifications;

/// <summary>
/// Plain <c>{{name}}</c> substitution (no expressions, no code): <c>job status snapshot error host duration
/// components repository started</c>. Unknown names are rejected by <c>config validate</c>.
/// </summary>
public static partial class NotificationTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["job", "status", "snapshot", "error", "host", "duration", "components", "repository", "started"];

    public const string DefaultTitle = "[stackvault] {{job}}: {{status}} on {{host}}";

    public const string DefaultBody = """
        Stackvault job {{job}} finished: {{status}} on {{host}} after {{duration}}.
        Repository: {{repository}}
        Snapshot: {{snapshot}}
        Started: {{started}}
        Components: {{components}}
        Error: {{error}}
        """;

    /// <summary>The placeholder names in <paramref name="template"/> that are not known.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template) =>
        [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(n => !Placeholders.Contains(n)).Distinct(StringComparer.Ordinal)];

    /// <summary>Replaces each known placeholder by its value; unknown ones are left as written.</summary>
    public static string Render(string template, JobNotification notification) =>
        Placeholder().Replace(template, match => Value(match.Groups[1].Value, notification) ?? match.Value);

    /// <summary>The value of one placeholder; <c>-</c> for an absent snapshot or error.</summary>
    public static string? Value(string name, JobNotification n) => name switch
    {
        "job" => n.Job,
        "status" => n.StatusText,
        "snapshot" => n.SnapshotId ?? "-",
        "error" => string.IsNullOrEmpty(n.Error) ? "-" : n.Error,
        "host" => n.Host,
        "duration" => Duration(n.Duration),
        "components" => n.Components.Count == 0 ? "-" : string.Join(", ", n.Components.Select(Component)),
        "repository" => n.Repository,
        "started" => n.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>Whole seconds (<c>1m35s</c>), but tenths under 10 s, so a quick run does not read "after 0s".</summary>
    private static string Duration(TimeSpan duration) => duration.TotalSeconds < 9.95
        ? Math.Round(Math.Max(0, duration.TotalSeconds), 1).ToString("0.#", CultureInfo.InvariantCulture) + "s"
        : DurationFormat.Format(TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds)));

    private static string Component(ComponentNotification c) =>
        $"{c.Name} {JobNotification.StatusName(c.Status)}" + (string.IsNullOrEmpty(c.Error) ? string.Empty : $" ({c.Error})");

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
