using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary>Invariant 8 for the config: secrets resolve lazily, follow env overrides, and never show.</summary>
public class ConfigSecretTests
{
    [Fact]
    public void InlineSecret_NeverInToStringOrShow()
    {
        var config = ConfigLoader.LoadFromText(ConfigSamples.WithInlineSecret, "t.yaml", ConfigSamples.NoEnvironment).Config!;
        var password = config.Repositories["local"].Password!;
        Assert.Equal("***", password.ToString());
        Assert.Equal(ConfigSamples.InlineSecret, password.Reveal());
        Assert.DoesNotContain(ConfigSamples.InlineSecret, config.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigSamples.InlineSecret, config.Repositories["local"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigSamples.InlineSecret, config.Components["pg"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigSamples.InlineSecret, ConfigDocument.ToYaml(config), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigSamples.InlineSecret, System.Text.Json.JsonSerializer.Serialize(ConfigDocument.ToTree(config)), StringComparison.Ordinal);
        Assert.Contains("*** (inline)", ConfigDocument.ToYaml(config), StringComparison.Ordinal);

        // Serializing the typed model itself (as a careless logger might) shows only the source.
        Assert.DoesNotContain(ConfigSamples.InlineSecret, System.Text.Json.JsonSerializer.Serialize(config.Repositories["local"]), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigSamples.InlineSecret, System.Text.Json.JsonSerializer.Serialize<object>(config.Components["pg"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_NeverInProblems()
    {
        var secret = ConfigSamples.InlineSecret;
        var yaml = $$"""
            repositories:
              local: { url: "s3://key:{{secret}}@bucket", password: "{{secret}}", password_file: /etc/pw, password_command: "echo {{secret}}" }
            components:
              pg: { type: postgres, dsn: "host=db password={{secret}}", password: "{{secret}}", password_file: "{{secret}}" }
              l: { type: loki, url: "http://u:{{secret}}@loki", data_dir: /l }
            """;
        var problems = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment).Problems;
        Assert.True(problems.Count >= 5, string.Join('\n', problems));
        Assert.All(problems, p => Assert.DoesNotContain(secret, p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void EnvironmentOverrides_ReplaceTheConfiguredSecret()
    {
        var env = ConfigSamples.Environment(("STACKVAULT_REPOSITORY_LOCAL_PASSWORD", "from-env"), ("STACKVAULT_PG_PASSWORD_FILE", "/run/secrets/pg"));
        var config = ConfigLoader.LoadFromText(ConfigSamples.WithInlineSecret, "t.yaml", env).Config!;
        Assert.Equal("env STACKVAULT_REPOSITORY_LOCAL_PASSWORD", config.Repositories["local"].Password!.Source);
        Assert.Equal("from-env", config.Repositories["local"].Password!.Reveal());
        var pg = (PostgresComponent)config.Components["pg"];
        Assert.Equal(SecretSourceKind.File, pg.Password!.Kind);
        Assert.Equal("file /run/secrets/pg", pg.Password.Source);
    }

    [Fact]
    public void EnvironmentName_UpperCaseWithUnderscores()
    {
        Assert.Equal("MY_DB_2", ConfigLoader.EnvironmentName("my-db.2"));
        var yaml = "repositories:\n  off-site: { url: /srv/r }\n";
        var config = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.Environment(("STACKVAULT_REPOSITORY_OFF_SITE_PASSWORD", "x"))).Config!;
        Assert.Equal("x", config.Repositories["off-site"].Password!.Reveal());
    }

    [Fact]
    public void EnvironmentBothValueAndFile_IsAProblem_NamingOnlyTheVariables()
    {
        var env = ConfigSamples.Environment(("STACKVAULT_REPOSITORY_LOCAL_PASSWORD", "env-secret-value"), ("STACKVAULT_REPOSITORY_LOCAL_PASSWORD_FILE", "/run/pw"));
        var problem = Assert.Single(ConfigLoader.LoadFromText(ConfigSamples.WithInlineSecret, "t.yaml", env).Problems);
        Assert.Equal("repositories.local.password", problem.YamlPath);
        Assert.Contains("$STACKVAULT_REPOSITORY_LOCAL_PASSWORD_FILE", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("env-secret-value", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRepositoryPassword_NamesEveryWayToGiveOne()
    {
        var problem = Assert.Single(ConfigLoader.LoadFromText("repositories:\n  local: { url: /srv/r }\n", "t.yaml", ConfigSamples.NoEnvironment).Problems);
        Assert.Equal(("repositories.local", 2), (problem.YamlPath, problem.Line));
        Assert.Contains("$STACKVAULT_REPOSITORY_LOCAL_PASSWORD_FILE", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileAndCommandSecrets_ResolveLazily_FirstLineOnly()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "pw");
        var yaml = $"repositories:\n  a: {{ url: /srv/a, password_file: {file} }}\n  b: {{ url: /srv/b, password_command: [printf, 'cmd-pw\\nrest'] }}\n";
        var config = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment).Config!;

        // Loading does not read the file: it is created only now.
        File.WriteAllText(file, "file-pw\nsecond line\n");
        Assert.Equal("file-pw", config.Repositories["a"].Password!.Reveal());
        Assert.Equal("cmd-pw", config.Repositories["b"].Password!.Reveal());
    }

    [Fact]
    public void FailingSecretSources_ErrorsNameTheSourceNotTheValue()
    {
        var missing = SecretValue.FromFile("/nonexistent/stackvault-pw");
        var error = Assert.ThrowsAny<StackvaultException>(missing.Reveal);
        Assert.Contains("/nonexistent/stackvault-pw", error.Message, StringComparison.Ordinal);
        var failing = SecretValue.FromCommand(CommandSpec.ShellCommand("echo hunter2-output; exit 3"));
        var failed = Assert.ThrowsAny<StackvaultException>(failing.Reveal);
        Assert.Equal("the secret command exited with code 3", failed.Message);
    }
}
