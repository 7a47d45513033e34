using Stackvault.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary><c>config show</c> prints no secret: not in hook URLs, component URLs, DSNs or command arguments.</summary>
public sealed class ConfigShowRedactionTests
{
    [Fact]
    public async Task ConfigShow_RedactsTokensUserInfoDsnPasswordsAndSecretArguments()
    {
        using var temp = new TempDirectory();
        var file = temp.Sub("stackvault.yaml");
        File.WriteAllText(file, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: repo-pw-1 }
            components:
              prom:
                type: prometheus
                url: "http://127.0.0.1:9090/?api_key=prom-key-2"
                data_dir: /var/lib/prometheus
                hooks: { pre: [{ http: "http://127.0.0.1:8080/hook?job=x&token=hook-token-3" }] }
              db: { type: postgres, dsn: "host=127.0.0.1 dbname=app sslmode=disable", password: dsn-pw-4 }
              dump: { type: command, command: [mysqldump, --password=cmd-pw-5, --api-key, key-6, db], filename: db.sql }
              shell: { type: command, command: "curl -H 'X-Auth-Token: hdr-7' https://x/?access_key=ak-8", filename: x }
            jobs:
              nightly: { repository: main, components: [prom, db, dump, shell] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));

        var show = await cli.RunOkAsync("config", "show", "--config", file);

        foreach (var secret in new[] { "repo-pw-1", "prom-key-2", "hook-token-3", "dsn-pw-4", "cmd-pw-5", "key-6", "hdr-7", "ak-8" })
        {
            Assert.DoesNotContain(secret, show.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("http://127.0.0.1:8080/hook?job=x&token=***", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9090/?api_key=***", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("sslmode=disable", show.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example/x?token=abc&job=1", "https://hooks.example/x?token=***&job=1")]
    [InlineData("host=db user=app password=s3cret dbname=app", "host=db user=app password=*** dbname=app")]
    [InlineData("s3:https://minio:9000/bucket?X-Amz-Signature=deadbeef", "s3:https://minio:9000/bucket?X-Amz-Signature=***")]
    [InlineData("https://user@example.com/path", "https://***@example.com/path")]
    [InlineData("http://127.0.0.1:3100/ready", "http://127.0.0.1:3100/ready")]
    public void Text_RedactsOnlyTheSecretParts(string input, string expected) => Assert.Equal(expected, ConfigRedaction.Text(input));
}
