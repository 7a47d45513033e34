using System.Text;
using System.Text.RegularExpressions;

namespace Stackvault.Filtering;

/// <summary>
/// One include/exclude pattern. A pattern with a '/' matches an absolute path (or, relative, any path ending with
/// it); one without matches any single path component. '*' matches within a component, '**' across components,
/// '?' one character, '[...]' a class. A match on a directory covers everything below it.
/// </summary>
public sealed class PathPattern
{
    private readonly Regex _regex;

    public PathPattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new Errors.UsageException("an empty pattern matches nothing: remove it");
        }

        Text = pattern;
        var trimmed = pattern.TrimEnd('/');
        string prefix;
        if (!trimmed.Contains('/'))
        {
            prefix = "(^|.*/)";
        }
        else if (trimmed.StartsWith('/'))
        {
            prefix = "^/";
        }
        else
        {
            prefix = "(^|.*/)";
        }

        _regex = new Regex(prefix + Translate(trimmed.TrimStart('/')) + "(/.*)?$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public string Text { get; }

    /// <summary>True when the absolute path (with forward slashes) or a directory above it matches.</summary>
    public bool Matches(string path) => _regex.IsMatch(path);

    private static string Translate(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    sb.Append(".*");
                    i++;
                    if (i + 1 < glob.Length && glob[i + 1] == '/')
                    {
                        sb.Append("/?");
                        i++;
                    }

                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    var cls = glob[(i + 1)..end];
                    sb.Append('[').Append(cls.StartsWith('!') ? "^" + Regex.Escape(cls[1..]) : Regex.Escape(cls)).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.ToString();
    }
}
