using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>
/// <c>restore SNAPSHOT --component pg --target-database NAME [--force]</c> against a real PostgreSQL 15: the dump is
/// staged and verified, then goes through the same PostgresRestorer as <c>pg-restore</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLiveRestoreTests(PostgresServerFixture server)
{
    private string Config(TempDirectory temp) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          pg:
            type: postgres
            dsn: "{server.Dsn()}"
            password: "{PostgresServerFixture.Password}"
        jobs:
          db: {"{"} repository: main, components: [pg] {"}"}
        """);

    [Fact]
    public async Task RestoreComponent_TargetDatabase_NewDatabaseHasEqualChecksums_ReplaceNeedsForce()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp);
        await cli.ExpectAsync(0, "backup", "--job", "db", "--config", config);
        string[] args = ["restore", "latest", "--component", "pg", "--target-database", "shop_live", "--config", config];

        var plan = await cli.ExpectAsync(0, [.. args, "--dry-run"]);
        Assert.Matches(@"create +pg/shop\.dump -> database shop_live", plan.Stdout);
        Assert.DoesNotContain("shop_live", await server.DatabasesAsync());

        var restored = await cli.ExpectAsync(0, args);

        Assert.Contains("restored pg: database shop_live", restored.Stdout, StringComparison.Ordinal);
        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("shop_live"));
        var refused = await cli.ExpectAsync(2, args);
        Assert.Matches(@"replace +pg/shop\.dump -> database shop_live", refused.Stdout);
        Assert.Contains("--yes", refused.Stderr, StringComparison.Ordinal);
        var replaced = await cli.ExpectAsync(0, [.. args, "--force"]);
        Assert.Contains("the previous one kept as shop_live_pre_restore_", replaced.Stdout, StringComparison.Ordinal);
        Assert.Contains(await server.DatabasesAsync(), d => d.StartsWith("shop_live_pre_restore_", StringComparison.Ordinal));
        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("shop_live"));
        Assert.DoesNotContain(PostgresServerFixture.Password, plan.Stdout + restored.Stdout + restored.Stderr + refused.Stderr + replaced.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetDatabase_OnANonPostgresComponent_Exit2()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              etc: {"{"} type: files, paths: [{temp.Path}] {"}"}
            jobs:
              j: {"{"} repository: main, components: [etc] {"}"}
            """);

        var result = await cli.ExpectAsync(2, "restore", "latest", "--component", "etc", "--target-database", "x", "--config", config);

        Assert.Contains("--target-database goes with --component NAME of a postgres component", result.Stderr, StringComparison.Ordinal);
    }
}
