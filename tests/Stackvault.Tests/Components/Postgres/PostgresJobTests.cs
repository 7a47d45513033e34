using Stackvault.Components.Postgres;
using Stackvault.Errors;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary><c>backup --job</c> with a postgres component against a real PostgreSQL 15, and <see cref="PostgresRestorer"/>.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJobTests(PostgresServerFixture server)
{
    private string Config(TempDirectory temp, string password = PostgresServerFixture.Password) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          pg:
            type: postgres
            dsn: "{server.Dsn()}"
            password: "{password}"
          note: {"{"} type: command, command: [echo, hi], filename: note.txt {"}"}
        jobs:
          db: {"{"} repository: main, components: [pg] {"}"}
          both: {"{"} repository: main, components: [note, pg] {"}"}
        """);

    /// <summary>Backs up the shop database through the CLI and restores the snapshot's files into temp/out.</summary>
    private async Task<Snapshot> BackupAndRestoreFilesAsync(TempDirectory temp)
    {
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var result = await cli.ExpectAsync(0, "backup", "--job", "db", "--config", Config(temp));
        Assert.DoesNotContain(PostgresServerFixture.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        return Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    [Fact]
    public async Task Job_DumpsTheDatabaseAndGlobals_SectionHasExactRowCounts()
    {
        using var temp = new TempDirectory();

        var snapshot = await BackupAndRestoreFilesAsync(temp);

        Assert.Equal(["/pg/globals.sql", "/pg/shop.dump"], snapshot.Paths.Order(StringComparer.Ordinal));
        var section = JobManifests.Section(snapshot, "pg");
        Assert.Equal((ComponentStatus.Complete, "pg_dump", server.Dsn()), (section.Status, section.Method, section.Source));
        Assert.StartsWith("15.", section.EngineVersion, StringComparison.Ordinal);
        Assert.Equal(250, section.Checks!["rows.public.customers"]);
        Assert.Equal(1000, section.Checks["rows.public.orders"]);
        Assert.Equal(3, section.Checks["rows.sales.Odd Name"]);
        Assert.Equal(0, section.Checks["rows.public.empty_table"]);
        Assert.Equal(0, section.Checks["globals.role_passwords"]);
        var dump = File.ReadAllBytes(temp.Sub("out") + "/pg/shop.dump");
        Assert.Equal("PGDMP"u8.ToArray(), dump[..5]);
        var globals = File.ReadAllText(temp.Sub("out") + "/pg/globals.sql");
        Assert.Contains($"CREATE ROLE {PostgresServerFixture.Role}", globals, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServerFixture.Password, globals, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyConfig_DumpsGlobalsOnly_NoPgDumpNoRowCounts_OnlyData_TheDumpOnly()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp);

        await cli.RunOkAsync("backup", "--job", "db", "--only", "config", "--config", config);
        await cli.RunOkAsync("backup", "--job", "db", "--only", "data", "--config", config);

        var snapshots = await JobManifests.AllAsync(temp.Sub("repo"));
        var configOnly = snapshots.Single(s => s.Tags.Contains("only:config"));
        Assert.Equal(["/pg/globals.sql"], configOnly.Paths);
        var section = JobManifests.Section(configOnly, "pg");
        Assert.DoesNotContain(section.Checks!.Keys, k => k.StartsWith("rows.", StringComparison.Ordinal) || k == "databases");
        var dataOnly = snapshots.Single(s => s.Tags.Contains("only:data"));
        Assert.Equal(["/pg/shop.dump"], dataOnly.Paths);
        Assert.Equal(1000, JobManifests.Section(dataOnly, "pg").Checks!["rows.public.orders"]);
    }

    [Fact]
    public async Task Job_AsSuperuser_WithDatabases_DumpsEach_AndGlobalsWithRolePasswords()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              pg:
                type: postgres
                dsn: "host=127.0.0.1 port={server.Port} user={PostgresServerFixture.Superuser} dbname=postgres"
                password: "{PostgresServerFixture.SuperuserPassword}"
                databases: [shop, inventory]
            jobs:
              db: {"{"} repository: main, components: [pg] {"}"}
            """);

        await cli.ExpectAsync(0, "backup", "--job", "db", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(["/pg/globals.sql", "/pg/inventory.dump", "/pg/shop.dump"], snapshot.Paths.Order(StringComparer.Ordinal));
        var section = JobManifests.Section(snapshot, "pg");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal((2, 1, 17, 250), (section.Checks!["databases"], section.Checks["globals.role_passwords"], section.Checks["inventory.rows.public.parts"], section.Checks["shop.rows.public.customers"]));
        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        Assert.Contains("SCRAM-SHA-256$", File.ReadAllText(temp.Sub("out") + "/pg/globals.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restorer_RestoresTheDumpIntoANewDatabase_TablesHaveTheSameChecksums()
    {
        using var temp = new TempDirectory();
        await BackupAndRestoreFilesAsync(temp);
        var restorer = new PostgresRestorer(server.Connection("postgres"), TimeProvider.System);

        var result = await restorer.RestoreAsync(temp.Sub("out") + "/pg/shop.dump", "shop_copy1", jobs: 2, force: false, CancellationToken.None);

        Assert.Equal(("shop_copy1", (string?)null), (result.Database, result.PreviousDatabaseKeptAs));
        var source = await server.TableChecksumsAsync(PostgresServerFixture.Database);
        Assert.Equal(4, source.Count);
        Assert.Equal(source, await server.TableChecksumsAsync("shop_copy1"));
        Assert.DoesNotContain(await server.DatabasesAsync(), d => d.StartsWith("shop_copy1_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PgRestoreCommand_RestoresFromTheSnapshotsDump_ThenNeedsForce()
    {
        using var temp = new TempDirectory();
        await BackupAndRestoreFilesAsync(temp);
        var cli = new CliRunner(temp.Sub("repo"));
        string[] args = ["pg-restore", temp.Sub("out") + "/pg/shop.dump", "--component", "pg", "--target-database", "shop_cli", "--jobs", "2", "--config", Config(temp)];

        var result = await cli.ExpectAsync(0, args);

        Assert.Contains("restored into database shop_cli", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("shop_cli"));
        var refused = await cli.ExpectAsync(2, args);
        Assert.Contains("needs force", refused.Stderr, StringComparison.Ordinal);
        var replaced = await cli.ExpectAsync(0, [.. args, "--force"]);
        Assert.Contains("the previous one kept as shop_cli_pre_restore_", replaced.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServerFixture.Password, result.Stdout + result.Stderr + refused.Stderr + replaced.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restorer_ExistingDatabase_NeedsForce_ThenKeepsTheOldOneAside()
    {
        using var temp = new TempDirectory();
        await BackupAndRestoreFilesAsync(temp);
        await server.SuperuserSqlAsync("postgres", $"CREATE DATABASE shop_copy2 OWNER {PostgresServerFixture.Role}");
        await server.SuperuserSqlAsync("shop_copy2", "CREATE TABLE marker (x int); INSERT INTO marker VALUES (42)");
        var restorer = new PostgresRestorer(server.Connection("postgres"), TimeProvider.System);
        var dump = temp.Sub("out") + "/pg/shop.dump";

        var refused = await Assert.ThrowsAnyAsync<StackvaultException>(() => restorer.RestoreAsync(dump, "shop_copy2", 2, force: false, CancellationToken.None));
        Assert.Contains("force", refused.Message, StringComparison.Ordinal);

        var result = await restorer.RestoreAsync(dump, "shop_copy2", 2, force: true, CancellationToken.None);

        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("shop_copy2"));
        Assert.StartsWith("shop_copy2_pre_restore_", result.PreviousDatabaseKeptAs, StringComparison.Ordinal);
        Assert.Equal("42", (await server.SuperuserSqlAsync(result.PreviousDatabaseKeptAs!, "SELECT x FROM marker")).Trim());
    }

    [Fact]
    public async Task Restorer_ForceWithATruncatedDump_LeavesTheOldDatabaseUntouched_AndDropsTheNewOne()
    {
        using var temp = new TempDirectory();
        await BackupAndRestoreFilesAsync(temp);
        await server.SuperuserSqlAsync("postgres", $"CREATE DATABASE shop_copy3 OWNER {PostgresServerFixture.Role}");
        await server.SuperuserSqlAsync("shop_copy3", "CREATE TABLE marker (x int); INSERT INTO marker VALUES (7)");
        var before = await server.TableChecksumsAsync("shop_copy3");
        var full = File.ReadAllBytes(temp.Sub("out") + "/pg/shop.dump");
        var truncated = temp.Sub("truncated.dump");
        File.WriteAllBytes(truncated, full[..(full.Length * 2 / 3)]);
        var restorer = new PostgresRestorer(server.Connection("postgres"), TimeProvider.System);

        var failure = await Assert.ThrowsAnyAsync<StackvaultException>(() => restorer.RestoreAsync(truncated, "shop_copy3", 2, force: true, CancellationToken.None));

        Assert.Contains("untouched", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await server.TableChecksumsAsync("shop_copy3"));
        var databases = await server.DatabasesAsync();
        Assert.DoesNotContain(databases, d => d.StartsWith("shop_copy3_", StringComparison.Ordinal));
        Assert.DoesNotContain(PostgresServerFixture.Password, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_IsAFailedSection_Exit3_WithoutThePassword()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        const string wrong = "wrong-Pa55word-9d2e";

        var result = await cli.ExpectAsync(3, "backup", "--job", "both", "--config", Config(temp, wrong), "--json");

        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr, StringComparison.Ordinal);
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(SnapshotStatus.Partial, snapshot.Status);
        var section = JobManifests.Section(snapshot, "pg");
        Assert.Equal((ComponentStatus.Failed, "pg_dump"), (section.Status, section.Method));
        Assert.Contains("password authentication failed", section.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, section.Error!, StringComparison.Ordinal);
        Assert.Equal(ComponentStatus.Complete, JobManifests.Section(snapshot, "note").Status);
    }

    [Fact]
    public async Task WrongPassword_OnlyComponent_NoSnapshot_Exit1_WithoutThePassword()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        const string wrong = "wrong-Pa55word-9d2e";

        var result = await cli.ExpectAsync(1, "backup", "--job", "db", "--config", Config(temp, wrong));

        Assert.Contains("password authentication failed", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }
}
