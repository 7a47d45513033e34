using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Tests.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>The seed-003 restore hooks example in docs/disaster-recovery.md is a valid config, read as written.</summary>
public sealed class PgRestoreHooksExampleTests
{
    [Fact]
    public void DisasterRecoveryExample_ScalesDownAndSuspends_ThenBringsBothBack()
    {
        var doc = File.ReadAllText(Path.Combine(S3rverFixture.RepositoryRoot, "docs", "disaster-recovery.md"));
        var start = doc.IndexOf("<!-- pg-restore-hooks-example -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- /pg-restore-hooks-example -->", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "the example's markers are missing from docs/disaster-recovery.md");
        var yaml = doc[start..end].Split("```yaml\n")[1].Split("```")[0];

        var (config, problems) = ConfigLoader.LoadFromText("repositories:\n  main: { url: /srv/repo, password: pw }\n" + yaml, "dr.yaml", ConfigSamples.NoEnvironment);

        Assert.Empty(problems);
        var dop = Assert.IsType<PostgresComponent>(config!.Components["dop"]);
        var stop = dop.RestoreHooks.Pre.Cast<CommandHook>().Select(h => string.Join(' ', h.Command.Arguments)).ToList();
        var startHooks = dop.RestoreHooks.Post.Cast<CommandHook>().Select(h => string.Join(' ', h.Command.Arguments)).ToList();
        Assert.Equal(2, stop.Count);
        Assert.Contains("scale deploy backend alertgate-receiver alertgate-sender alertgate-api --replicas=0", stop[0], StringComparison.Ordinal);
        Assert.Contains("\"suspend\":true", stop[1], StringComparison.Ordinal);
        Assert.Equal(2, startHooks.Count);
        Assert.Contains("\"suspend\":false", startHooks[0], StringComparison.Ordinal);
        Assert.Contains("--replicas=2", startHooks[1], StringComparison.Ordinal);
    }
}
