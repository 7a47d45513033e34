using System.CommandLine;
using System.Globalization;
using Stackvault.Configuration;

namespace Stackvault.Cli;

/// <summary>
/// The one parser of every time option on the command line: the config file's durations (<c>30s</c>, <c>1m</c>,
/// <c>1h30m</c>, <c>7d</c>; units ms s m h d w, docs/configuration.md), or a bare number of seconds (<c>60</c>) as
/// older scripts wrote it. Anything else is a usage error naming the option (exit 2).
/// </summary>
internal static class DurationOption
{
    public static Option<TimeSpan> Create(string name, string description, TimeSpan defaultValue, params string[] aliases)
    {
        var option = new Option<TimeSpan>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(name, result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value, error => result.AddError(error)),
        };
        return option;
    }

    /// <summary>Parses <paramref name="text"/>; on failure reports through <paramref name="fail"/> and returns zero.</summary>
    public static TimeSpan Parse(string name, string text, Action<string> fail)
    {
        ArgumentNullException.ThrowIfNull(fail);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 999_999_999)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DurationFormat.TryParse(text, out var value))
        {
            return value;
        }

        fail($"{name}: '{text}' is not a duration: use e.g. 30s, 1m, 1h30m, 7d (units ms s m h d w) or a number of seconds");
        return TimeSpan.Zero;
    }
}
