using System.Diagnostics;
using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary><c>stackvault config validate|show</c> through the real CLI process.</summary>
public class ConfigCommandTests
{
    private const string Bad = """
        repositories:
          local: { url: /srv/repo, password_file: /etc/pw }
        components:
          prom: { type: prometheus, url: "localhost:9090", data_dir: /prometheus }
        jobs:
          j: { repository: local, components: [prom, ghost], rpo: soon }
        """;

    [Fact]
    public async Task Validate_ValidFile_Exit0WithCounts()
    {
        using var temp = new TempDirectory();
        var file = Write(temp, ConfigSamples.Contract);
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(0, "config", "validate", "--config", file);
        Assert.Equal("config ok: 1 repositories, 6 components, 2 jobs", result.Stdout.Trim());
    }

    [Fact]
    public async Task Validate_Problems_Exit2_OneLinePerProblem()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "config", "validate", "--config", Write(temp, Bad));
        Assert.Equal(
            [
                "components.prom.url (line 4): not an absolute http(s) URL",
                "jobs.j.components[1] (line 6): unknown component 'ghost'",
                "jobs.j.rpo (line 6): not a duration: use a number and a unit (ms, s, m, h, d, w), e.g. 30s, 1h, 7d, 1h30m",
            ],
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("3 problem(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Json_ListsProblemsWithPathLineColumn()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "config", "validate", "--json", "--config", Write(temp, Bad));
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.False(document.RootElement.GetProperty("ok").GetBoolean());
        var first = document.RootElement.GetProperty("problems")[0];
        Assert.Equal("components.prom.url", first.GetProperty("path").GetString());
        Assert.Equal(4, first.GetProperty("line").GetInt32());
        Assert.Equal(34, first.GetProperty("column").GetInt32());
        Assert.Equal("not an absolute http(s) URL", first.GetProperty("message").GetString());

        var ok = await new CliRunner(temp.Sub("repo")).ExpectAsync(0, "config", "validate", "--json", "--config", Write(temp, ConfigSamples.Contract));
        using var okDocument = JsonDocument.Parse(ok.Stdout);
        Assert.True(okDocument.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(0, okDocument.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task Validate_MissingExplicitFile_UsageError()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "config", "validate", "--config", temp.Sub("nope.yaml"));
        Assert.Contains("config file not found", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nope.yaml", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithoutConfig_FindsStackvaultYamlInTheWorkingDirectory()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Sub("stackvault.yaml"), ConfigSamples.Contract);
        var result = await RunInAsync(temp.Path, "config", "validate");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("config ok:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_RedactsSecrets_InYamlAndJson()
    {
        using var temp = new TempDirectory();
        var file = Write(temp, ConfigSamples.WithInlineSecret);
        var cli = new CliRunner(temp.Sub("repo"));
        cli.Environment["STACKVAULT_PG_PASSWORD"] = "env-pg-secret";
        var yaml = await cli.ExpectAsync(0, "config", "show", "--config", file);
        var json = await cli.ExpectAsync(0, "config", "show", "--json", "--config", file);
        foreach (var output in new[] { yaml.Stdout + yaml.Stderr, json.Stdout + json.Stderr })
        {
            Assert.DoesNotContain(ConfigSamples.InlineSecret, output, StringComparison.Ordinal);
            Assert.DoesNotContain("env-pg-secret", output, StringComparison.Ordinal);
        }

        Assert.Contains("password: '*** (inline)'", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("*** (env STACKVAULT_PG_PASSWORD)", yaml.Stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal("host=db user=backup", document.RootElement.GetProperty("components").GetProperty("pg").GetProperty("dsn").GetString());
    }

    private static string Write(TempDirectory temp, string yaml)
    {
        var path = temp.Sub($"stackvault-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task<CliResult> RunInAsync(string directory, params string[] args)
    {
        var start = new CliRunner(Path.Combine(directory, "repo")).StartInfo(args);
        start.WorkingDirectory = directory;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
