using System.Text;
using System.Text.RegularExpressions;

namespace Stackvault.Tests.Docs;

/// <summary>Every <c>stackvault ...</c> command line of README.md and docs/*.md (code blocks and inline code), as argv.</summary>
internal static partial class DocCommandLines
{
    /// <summary>Shell syntax the extractor does not interpret: a line holding one of these is skipped (kept small).</summary>
    public static readonly string[] ShellSyntax = ["$(", "`", "|", "&&", ";", "<", ">"];

    /// <summary>README synopses of alternative subcommands with different arguments: no single command line to check.</summary>
    public static readonly string[] ReadmeRowsNotChecked = ["key list\\|add\\|remove ID\\|passwd"];

    public sealed record Line(string File, int LineNumber, string Text, string[]? Args);

    public static IEnumerable<Line> All(string repositoryRoot)
    {
        var files = new[] { Path.Combine(repositoryRoot, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(repositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            foreach (var line in FromFile(file, Path.GetRelativePath(repositoryRoot, file)))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<Line> FromFile(string path, string name)
    {
        var lines = File.ReadAllLines(path);
        var prose = new StringBuilder();
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                prose.Append('\n');
                continue;
            }

            var indented = text.StartsWith("    ", StringComparison.Ordinal) && !text.TrimStart().StartsWith('-') && !text.TrimStart().StartsWith('|');
            if (fenced || indented)
            {
                var first = i;
                var command = text.Trim();
                while (command.EndsWith('\\') && i + 1 < lines.Length)
                {
                    command = command[..^1] + " " + lines[++i].Trim();
                }

                prose.Append('\n');
                if (FromCode(command) is { } code)
                {
                    yield return new Line(name, first + 1, code, Split(code));
                }

                continue;
            }

            prose.Append(text).Append('\n');
        }

        if (name == "README.md")
        {
            // The command table: "| `backup PATH... [--tag T]` | ..." rows are synopses of stackvault commands;
            // "a\|b" alternatives are checked with their first choice.
            for (var i = 0; i < lines.Length; i++)
            {
                if (TableCommand().Match(lines[i]) is { Success: true } row && !row.Groups[1].Value.Split(' ')[0].Contains('/', StringComparison.Ordinal))
                {
                    var first = OptionAlternatives().Replace(row.Groups[1].Value, string.Empty); // "--component NAME\|--job NAME": the first
                    var synopsis = "stackvault " + Alternatives().Replace(first, "$1");
                    yield return new Line(name, i + 1, synopsis, ReadmeRowsNotChecked.Contains(row.Groups[1].Value) ? null : Split(synopsis));
                }
            }
        }

        var all = prose.ToString();
        foreach (Match match in InlineCode().Matches(all))
        {
            var code = Regex.Replace(match.Groups[1].Value, @"\s*\n\s*", " ").Trim();
            if (FromCode(code) is { } command)
            {
                var lineNumber = all.AsSpan(0, match.Index).Count('\n') + 1;
                yield return new Line(name, lineNumber, command, Split(command));
            }
        }
    }

    /// <summary>The command from "stackvault ..." or "./stackvault ..." (after "$ " and VAR=value prefixes), comment cut; else null.</summary>
    private static string? FromCode(string code)
    {
        var text = code.Trim();
        if (text.StartsWith("$ ", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = EnvPrefix().Replace(text, string.Empty);
        if (!text.StartsWith("stackvault ", StringComparison.Ordinal) && !text.StartsWith("./stackvault ", StringComparison.Ordinal))
        {
            return null;
        }

        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? text[..comment] : text).Trim();
    }

    /// <summary>Shell words (single and double quotes); optional-part brackets dropped; null for shell syntax not handled.</summary>
    private static string[]? Split(string command)
    {
        command = RepeatMarker().Replace(command, "$1"); // "[--tenant T]..." and "SNAPSHOT...": repeatable, given once
        var unquoted = Regex.Replace(command, "'[^']*'|\"[^\"]*\"", "Q");
        if (ShellSyntax.Any(s => unquoted.Contains(s, StringComparison.Ordinal)) || unquoted.Contains("..."))
        {
            return null;
        }

        var words = new List<string>();
        var current = new StringBuilder();
        var any = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } q)
            {
                if (c == q) { quote = null; } else { current.Append(c); }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (any || current.Length > 0) { words.Add(current.ToString()); current.Clear(); any = false; }
            }
            else
            {
                current.Append(c);
            }
        }

        if (any || current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return [.. words.Skip(1).Select(w => w.Trim('[', ']')).Where(w => w.Length > 0)];
    }

    [GeneratedRegex(@"^\| `([a-z][^`]*)` \|")]
    private static partial Regex TableCommand();

    [GeneratedRegex(@"([^\s\[\]|\\]+)(\\\|[^\s\[\]]+)+")]
    private static partial Regex Alternatives();

    [GeneratedRegex(@"\\\|--[a-z-]+( [A-Z]+)?")]
    private static partial Regex OptionAlternatives();

    [GeneratedRegex(@"(\S)\.\.\.")]
    private static partial Regex RepeatMarker();

    [GeneratedRegex("`([^`]+)`", RegexOptions.Singleline)]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^([A-Z_][A-Z0-9_]*=\S*\s+)+")]
    private static partial Regex EnvPrefix();
}
