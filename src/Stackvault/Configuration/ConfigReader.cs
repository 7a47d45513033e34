using System.Globalization;

namespace Stackvault.Configuration;

/// <summary>
/// Reads typed values out of <see cref="YNode"/>s, recording a <see cref="ConfigProblem"/> for every mistake and
/// carrying on. Messages name keys and expectations, never the value (it may be a secret).
/// </summary>
internal sealed partial class ConfigReader(Func<string, string?> environment)
{
    private readonly List<ConfigProblem> _problems = [];

    public IReadOnlyList<ConfigProblem> Problems => _problems;

    public Func<string, string?> Environment => environment;

    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Index(string path, int index) => $"{path}[{index}]";

    public void Problem(string path, YNode? node, string message) =>
        _problems.Add(new ConfigProblem(path, node?.Line ?? 0, node?.Column ?? 0, message));

    /// <summary>Reports duplicate and unknown keys (with a "did you mean") and returns the mapping's entries.</summary>
    public YMapping? Mapping(YNode? node, string path, IReadOnlyCollection<string>? allowed, string what = "a mapping")
    {
        if (node is null || node is YScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YMapping mapping)
        {
            Problem(path, node, $"expected {what}");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in mapping.Entries)
        {
            var keyPath = Child(path, key.Value);
            if (!seen.Add(key.Value))
            {
                Problem(keyPath, key, "duplicate key: it is defined more than once in this mapping");
            }
            else if (allowed is not null && !allowed.Contains(key.Value))
            {
                var suggestion = DidYouMean.Closest(key.Value, allowed);
                Problem(keyPath, key, "unknown key" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
            }
        }

        return mapping;
    }

    public string? String(YMapping map, string path, string key, bool required = false)
    {
        var node = map[key];
        var keyPath = Child(path, key);
        if (node is null || node is YScalar { IsNull: true })
        {
            if (required)
            {
                Problem(keyPath, node ?? (YNode)map, $"missing required key '{key}'");
            }

            return null;
        }

        if (node is not YScalar scalar)
        {
            Problem(keyPath, node, "expected a string");
            return null;
        }

        if (scalar.Value.Length == 0)
        {
            Problem(keyPath, node, "must not be empty");
            return null;
        }

        return scalar.Value;
    }

    public IReadOnlyList<string> StringList(YMapping map, string path, string key, bool required = false)
    {
        var node = map[key];
        var keyPath = Child(path, key);
        if (node is null || node is YScalar { IsNull: true })
        {
            if (required)
            {
                Problem(keyPath, node ?? (YNode)map, $"missing required key '{key}'");
            }

            return [];
        }

        if (node is not YSequence sequence)
        {
            Problem(keyPath, node, "expected a list of strings");
            return [];
        }

        var items = new List<string>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (sequence.Items[i] is YScalar { IsNull: false, Value.Length: > 0 } item)
            {
                items.Add(item.Value);
            }
            else
            {
                Problem(Index(keyPath, i), sequence.Items[i], "expected a non-empty string");
            }
        }

        if (required && items.Count == 0 && sequence.Items.Count == 0)
        {
            Problem(keyPath, node, "must not be empty");
        }

        return items;
    }

    /// <summary>A boolean written <c>true</c> or <c>false</c>; null when absent.</summary>
    public bool? Bool(YMapping map, string path, string key)
    {
        var text = String(map, path, key);
        if (text is null)
        {
            return null;
        }

        if (text is not ("true" or "false"))
        {
            Problem(Child(path, key), map[key], "expected true or false");
            return null;
        }

        return text == "true";
    }

    public int? NonNegativeInt(YMapping map, string path, string key)
    {
        var text = String(map, path, key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            Problem(Child(path, key), map[key], "expected a whole number, 0 or more");
            return null;
        }

        return value;
    }

    /// <summary>A duration such as <c>30s</c>, <c>1h</c>, <c>7d</c>, <c>1h30m</c>.</summary>
    public TimeSpan? Duration(YMapping map, string path, string key, bool positive = true)
    {
        var text = String(map, path, key);
        if (text is null)
        {
            return null;
        }

        if (!DurationFormat.TryParse(text, out var duration))
        {
            Problem(Child(path, key), map[key], "not a duration: use a number and a unit (ms, s, m, h, d, w), e.g. 30s, 1h, 7d, 1h30m");
            return null;
        }

        if (positive && duration <= TimeSpan.Zero)
        {
            Problem(Child(path, key), map[key], "must be longer than zero");
            return null;
        }

        return duration;
    }
}
