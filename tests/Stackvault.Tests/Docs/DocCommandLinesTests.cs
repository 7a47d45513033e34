using Stackvault.Cli;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Docs;

/// <summary>The command lines of README.md and docs/*.md parse with the real CLI's parser: no unknown command or option.</summary>
public sealed partial class DocCommandLinesTests
{
    private static readonly List<DocCommandLines.Line> Lines = [.. DocCommandLines.All(S3rverFixture.RepositoryRoot)];

    [Fact]
    public void DocCommands_EveryCommandLine_ParsesWithoutErrors()
    {
        var failures = new List<string>();
        var commands = Program.BuildRoot().Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var line in Lines.Where(l => l.Args is not null))
        {
            if (line.Args is [var name])
            {
                // "`stackvault drill` proves ..." names a command in prose: it must exist; its required options are not given.
                if (!commands.Contains(name))
                {
                    failures.Add($"{line.File}:{line.LineNumber}: {line.Text}\n    no command '{name}'");
                }

                continue;
            }

            var parse = Program.BuildRoot().Parse(line.Args!);
            var errors = parse.Errors.Where(e => !PlaceholderValue().IsMatch(e.Message)).Select(e => e.Message).ToList();
            if (parse.CommandResult.Command.Name == "restore" && (line.Args!.Contains("--rollback") || line.Args.Contains("--cleanup"))
                && parse.GetValue<string?>("snapshot") is { } snapshot)
            {
                errors.Add($"--rollback/--cleanup take no SNAPSHOT ('{snapshot}'): the command would exit 2");
            }

            if (errors.Count > 0)
            {
                failures.Add($"{line.File}:{line.LineNumber}: {line.Text}\n    {string.Join("; ", errors)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} documented command lines do not parse:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void DocCommands_Extraction_FindsTheRunbookCommandsAndSkipsFew()
    {
        var parsed = Lines.Count(l => l.Args is not null);
        var skipped = Lines.Where(l => l.Args is null).Select(l => $"{l.File}:{l.LineNumber}: {l.Text}").ToList();
        Assert.True(parsed >= 60, $"only {parsed} command lines found in the docs");
        Assert.Contains(Lines, l => l.File == Path.Combine("docs", "disaster-recovery.md") && l.Args is ["restore", "--rollback", "--component", "NAME"]);
        Assert.True(skipped.Count <= 9, "too many documented command lines skipped as shell syntax:\n" + string.Join("\n", skipped));
    }

    /// <summary>"--jobs N", "--pack-size MiB": a placeholder where a number goes is not a typo.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^Cannot parse argument '[A-Z][A-Za-z]{0,3}' for option")]
    private static partial System.Text.RegularExpressions.Regex PlaceholderValue();

    [Fact]
    public void DocCommands_UnknownOption_IsAParseError()
    {
        // The check above is only as good as the parser's strictness: a misspelt option must be an error.
        Assert.NotEmpty(Program.BuildRoot().Parse(["restore", "latest", "--component", "pg", "--target-db", "app"]).Errors);
        Assert.NotEmpty(Program.BuildRoot().Parse(["drill", "--job", "critical", "--scratch-dir", "/tmp/x"]).Errors);
    }
}
