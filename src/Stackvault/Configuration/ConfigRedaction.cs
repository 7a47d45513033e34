using System.Text.RegularExpressions;

namespace Stackvault.Configuration;

/// <summary>
/// Hides secrets written inline in values <c>config show</c> prints: the password (or the whole user info) of a URL,
/// query parameters such as <c>?token=</c>, <c>access_key=</c>, <c>sig=</c>, a DSN's <c>password=</c>, and
/// <c>--password=...</c>-style arguments and <c>PASSWORD=...</c> assignments in commands. Each becomes <c>***</c>.
/// </summary>
public static partial class ConfigRedaction
{
    public const string Mask = "***";

    /// <summary>Every secret-looking part of <paramref name="text"/> replaced by <see cref="Mask"/>; null stays null.</summary>
    public static string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = UserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = SecretPair().Replace(result, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
        result = SecretFlag().Replace(result, m => m.Groups["flag"].Value + Mask);
        return result;
    }

    /// <summary>Each element redacted (a command's arguments).</summary>
    public static IReadOnlyList<string> All(IEnumerable<string> values)
    {
        var list = values.ToList();
        var result = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            // "--password VALUE" as two arguments: the value is the secret
            result.Add(i > 0 && SecretOptionName().IsMatch(list[i - 1]) ? Mask : Text(list[i])!);
        }

        return result;
    }

    // scheme://user:password@host, scheme://token@host
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@?#]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // ?token=..., &api_key=..., password=... (DSN keywords, env assignments), X-Auth-Token: ...
    [GeneratedRegex(@"(?<key>\b[A-Za-z0-9_\-]*(?:token|password|passwd|pwd|secret|api[_\-]?key|access[_\-]?key|auth|signature|sig|credential)[A-Za-z0-9_\-]*)(?<sep>\s*[=:]\s*)(?!\*\*\*)[^\s&;#'""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretPair();

    // --password VALUE inside one shell string
    [GeneratedRegex(@"(?<flag>--?[A-Za-z0-9\-]*(?:token|password|secret|key)\s+)(?!-)[^\s]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretFlag();

    [GeneratedRegex(@"^--?[A-Za-z0-9\-]*(?:token|password|secret|key)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretOptionName();
}
