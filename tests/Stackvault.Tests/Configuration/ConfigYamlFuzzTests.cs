using System.Text;
using Stackvault.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary>
/// Malformed YAML never escapes as an exception: every broken file (truncated, tabs, unclosed brackets, duplicate
/// keys, anchors, binary garbage) is a list of problems with a line, and through the CLI a one-line message, exit 2.
/// </summary>
public class ConfigYamlFuzzTests
{
    private static IEnumerable<string> Mutations(string text, Random random)
    {
        for (var cut = 0; cut <= text.Length; cut += 7)
        {
            yield return text[..cut];
        }

        string[] inserts = ["{", "[", "}", "]", "\t", "\"", "'", "&a ", "*a", "*nope", "? ", ": ", "- ", "!!binary ", "%YAML 1.1\n", "---\n", "...\n", "|\n", ">-\n", "\0", "\uFEFF", "@", "`", "#", "\r"];
        for (var i = 0; i < 400; i++)
        {
            var at = random.Next(text.Length + 1);
            yield return text[..at] + inserts[random.Next(inserts.Length)] + text[at..];
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            yield return string.Join('\n', lines.Take(i + 1).Concat(lines.Skip(i)));
            yield return string.Join('\n', lines.Select((l, n) => n == i ? "\t" + l : l));
        }

        for (var i = 0; i < 100; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            yield return Encoding.UTF8.GetString(bytes);
            yield return Encoding.Latin1.GetString(bytes);
        }

        yield return "a: &x [*x]";
        yield return "anchors: &a {b: &b [*a, *b]}";
        yield return "a: !<tag:yaml.org,2002:str> {";
        yield return "repositories: {\n  main: {url: /tmp/x\n";
        yield return "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{";
        yield return string.Concat(Enumerable.Repeat("[", 5000));
    }

    [Fact]
    public void LoadFromText_MutatedFiles_NeverThrow_EveryProblemHasALine()
    {
        var random = new Random(20261202);
        var count = 0;
        foreach (var text in Mutations(ConfigSamples.Contract, random))
        {
            ConfigLoadResult result;
            try
            {
                result = ConfigLoader.LoadFromText(text, "fuzz.yaml", ConfigSamples.NoEnvironment);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message} for input {System.Text.Json.JsonSerializer.Serialize(text)}");
                return;
            }

            if (result.Config is null)
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.True(p.Line >= 1 && p.Message.Length > 0, $"{p} for {System.Text.Json.JsonSerializer.Serialize(text)}"));
            }

            count++;
        }

        Assert.True(count > 700, $"only {count} inputs");
    }

    [Theory]
    [InlineData("repositories: {\n  local: {url: /tmp/x\n", 3, "YAML syntax")]
    [InlineData("repositories:\n\tlocal: {}\n", 2, "tab")]
    [InlineData("repositories: [\n", 2, "YAML syntax")]
    public async Task Cli_MalformedYaml_EveryConfigCommand_OneLineExit2(string yaml, int line, string words)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "stackvault.yaml");
        File.WriteAllText(file, yaml);
        var runner = new CliRunner(temp.Sub("repo"));

        var validate = await runner.ExpectAsync(2, "config", "validate", "--config", file);
        Assert.Contains($"(line {line})", validate.Stdout, StringComparison.Ordinal);
        Assert.Contains(words, validate.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(file, validate.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", validate.Stderr + validate.Stdout, StringComparison.Ordinal);

        foreach (var command in new[] { new[] { "backup", "--job", "x" }, ["notify", "test"], ["status"], ["run"] })
        {
            var result = await runner.ExpectAsync(2, [.. command, "--config", file]);
            var message = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"stackvault: {file}: 1 problem(s), first: ", message, StringComparison.Ordinal);
            Assert.Contains($"(line {line})", message, StringComparison.Ordinal);
        }
    }
}
