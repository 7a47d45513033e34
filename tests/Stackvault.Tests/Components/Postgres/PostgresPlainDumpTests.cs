using System.Globalization;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>
/// <c>pg-restore</c> with plain-SQL dumps (<c>pg_dump -Fp</c>, gzipped like the platform's <c>dop-*.dump.gz</c>, or
/// not) and <c>pg-restore --globals</c>, through the CLI against a real PostgreSQL 15.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPlainDumpTests(PostgresServerFixture server)
{
    private string Config(TempDirectory temp, bool superuser = false) => PgDumps.Config(server, temp, superuser);

    [Fact]
    public async Task GzippedPlainDump_IsRestoredIntoANewDatabase_ThenReplacesItWithForce()
    {
        using var temp = new TempDirectory();
        var sql = await PgDumpAsync(PostgresServerFixture.Database, "-Fp");
        var gz = temp.Sub("dop-202504211200.dump.gz");
        Gzip(gz, sql);
        var cli = new CliRunner(temp.Sub("repo"));
        string[] args = ["pg-restore", gz, "--component", "pg", "--target-database", "shop_plain", "--config", Config(temp)];

        var result = await cli.ExpectAsync(0, args);

        Assert.Contains("restored into database shop_plain from a gzipped plain SQL dump", result.Stdout, StringComparison.Ordinal);
        var expected = await server.TableChecksumsAsync(PostgresServerFixture.Database);
        Assert.Equal(1000, expected.Count > 0 ? int.Parse((await server.SuperuserSqlAsync("shop_plain", "SELECT count(*) FROM orders")).Trim(), CultureInfo.InvariantCulture) : 0);
        Assert.Equal(expected, await server.TableChecksumsAsync("shop_plain"));

        // the same dump, not gzipped, over the now existing database: refused without --force, swapped with it
        var plain = temp.Sub("shop.sql");
        await File.WriteAllBytesAsync(plain, sql);
        string[] plainArgs = ["pg-restore", plain, "--component", "pg", "--target-database", "shop_plain", "--config", Config(temp)];
        await server.SuperuserSqlAsync("shop_plain", "INSERT INTO empty_table VALUES (42)");
        var refused = await cli.ExpectAsync(2, plainArgs);
        Assert.Contains("needs force", refused.Stderr, StringComparison.Ordinal);
        var replaced = await cli.ExpectAsync(0, [.. plainArgs, "--force"]);
        Assert.Contains("from a plain SQL dump, the previous one kept as shop_plain_pre_restore_", replaced.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await server.TableChecksumsAsync("shop_plain"));
        var kept = (await server.DatabasesAsync()).Single(name => name.StartsWith("shop_plain_pre_restore_", StringComparison.Ordinal));
        Assert.Equal("42", (await server.SuperuserSqlAsync(kept, "SELECT x FROM empty_table")).Trim());
    }

    [Fact]
    public async Task TruncatedGzip_LeavesTheExistingDatabaseUntouched_AndFailsWithOneLine()
    {
        using var temp = new TempDirectory();
        await CreateVictimAsync("victim_trunc");
        var whole = temp.Sub("whole.gz");
        Gzip(whole, await PgDumpAsync(PostgresServerFixture.Database, "-Fp"));
        var bytes = await File.ReadAllBytesAsync(whole);
        var truncated = temp.Sub("dop-truncated.dump.gz");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);

        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(1,
            "pg-restore", truncated, "--component", "pg", "--target-database", "victim_trunc", "--force", "--config", Config(temp));

        AssertOneLineUntouched(result.Stderr, "victim_trunc");
        Assert.Contains("is unusable", result.Stderr, StringComparison.Ordinal);
        await AssertVictimIntactAsync("victim_trunc");

        // cut at a statement boundary, psql alone would succeed: the missing "dump complete" line fails it
        var text = System.Text.Encoding.UTF8.GetString(await PgDumpAsync(PostgresServerFixture.Database, "-Fp")).Split('\n');
        var cut = Array.FindIndex(text, line => line.StartsWith("CREATE TABLE sales.", StringComparison.Ordinal));
        var partial = temp.Sub("partial.sql");
        await File.WriteAllTextAsync(partial, string.Join('\n', text[..cut]) + "\n");
        var cutResult = await new CliRunner(temp.Sub("repo")).ExpectAsync(1,
            "pg-restore", partial, "--component", "pg", "--target-database", "victim_trunc", "--force", "--config", Config(temp));
        AssertOneLineUntouched(cutResult.Stderr, "victim_trunc");
        Assert.Contains("the dump is incomplete", cutResult.Stderr, StringComparison.Ordinal);
        await AssertVictimIntactAsync("victim_trunc");
    }

    [Fact]
    public async Task SqlErrorMidway_LeavesTheExistingDatabaseUntouched_AndFailsWithPsqlsReason()
    {
        using var temp = new TempDirectory();
        await CreateVictimAsync("victim_sql");
        var lines = System.Text.Encoding.UTF8.GetString(await PgDumpAsync(PostgresServerFixture.Database, "-Fp")).Split('\n').ToList();
        var middle = lines.FindIndex(line => line.StartsWith("CREATE TABLE sales.", StringComparison.Ordinal));
        Assert.True(middle > 0);
        lines.Insert(middle, "SELECT no_such_function_in_the_dump();");
        var broken = temp.Sub("dop-broken.dump.gz");
        Gzip(broken, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(1,
            "pg-restore", broken, "--component", "pg", "--target-database", "victim_sql", "--force", "--config", Config(temp));

        AssertOneLineUntouched(result.Stderr, "victim_sql");
        Assert.Contains("no_such_function_in_the_dump", result.Stderr, StringComparison.Ordinal);
        await AssertVictimIntactAsync("victim_sql");
    }

    [Fact]
    public async Task Globals_CreateAMissingRole_KeepAnExistingOneAsItIs_NeverDrop()
    {
        using var temp = new TempDirectory();
        await server.SuperuserSqlAsync("postgres", "CREATE ROLE gone_role LOGIN CONNECTION LIMIT 4 PASSWORD 'gone-pw'; CREATE ROLE kept_role LOGIN CONNECTION LIMIT 3; GRANT kept_role TO gone_role");
        var globals = temp.Sub("globals.sql");
        await File.WriteAllBytesAsync(globals, await PgDumps.GlobalsAsync(server));
        Assert.Contains("DROP ROLE", await File.ReadAllTextAsync(globals), StringComparison.Ordinal);
        await server.SuperuserSqlAsync("postgres", "DROP ROLE gone_role; ALTER ROLE kept_role CONNECTION LIMIT 7");

        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(0, "pg-restore", "--globals", globals, "--component", "pg", "--config", Config(temp, superuser: true));

        Assert.Contains("1 role(s) created (gone_role)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kept_role", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("DROP ROLE/TABLESPACE statement(s) skipped", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("4|t", (await server.SuperuserSqlAsync("postgres", "SELECT rolconnlimit, rolcanlogin FROM pg_roles WHERE rolname = 'gone_role'")).Trim());
        Assert.Equal("t", (await server.SuperuserSqlAsync("postgres", "SELECT pg_has_role('gone_role', 'kept_role', 'MEMBER')")).Trim());
        Assert.Equal("7", (await server.SuperuserSqlAsync("postgres", "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'kept_role'")).Trim());
        Assert.Equal("1", (await server.SuperuserSqlAsync("postgres", $"SELECT count(*) FROM pg_roles WHERE rolname = '{PostgresServerFixture.Role}'")).Trim());
    }

    [Fact]
    public async Task Globals_FromASnapshot_ExistingTablespaceKeptAsItIs_MissingOneCreatedWithItsGrantAndComment()
    {
        using var temp = new TempDirectory();
        var keptLocation = temp.Sub("ts_kept");
        var goneLocation = temp.Sub("ts_gone");
        Directory.CreateDirectory(keptLocation);
        Directory.CreateDirectory(goneLocation);
        await PgDumps.RunAsync("chown", "postgres:postgres", keptLocation, goneLocation);
        try
        {
            // one statement per call: CREATE TABLESPACE refuses to run in a (multi-statement) transaction
            foreach (var sql in new[]
            {
                $"CREATE TABLESPACE ts_kept OWNER {PostgresServerFixture.Role} LOCATION '{keptLocation}'", "ALTER TABLESPACE ts_kept SET (seq_page_cost = 2)",
                "CREATE ROLE ts_role", $"CREATE TABLESPACE ts_gone OWNER ts_role LOCATION '{goneLocation}'",
                $"GRANT CREATE ON TABLESPACE ts_gone TO {PostgresServerFixture.Role}", "COMMENT ON TABLESPACE ts_gone IS E'line one\\nline; two'",
            })
            {
                await server.SuperuserSqlAsync("postgres", sql);
            }

            var backedUp = temp.Sub("pg");
            Directory.CreateDirectory(backedUp);
            await File.WriteAllBytesAsync(Path.Combine(backedUp, "globals.sql"), await PgDumps.GlobalsAsync(server));
            Assert.Contains("DROP TABLESPACE ts_gone", await File.ReadAllTextAsync(Path.Combine(backedUp, "globals.sql")), StringComparison.Ordinal);
            var cli = new CliRunner(temp.Sub("repo"));
            await cli.InitAsync();
            await cli.RunOkAsync("backup", backedUp);
            foreach (var sql in new[] { "ALTER TABLESPACE ts_kept SET (seq_page_cost = 5)", "DROP TABLESPACE ts_gone", "DROP ROLE ts_role" })
            {
                await server.SuperuserSqlAsync("postgres", sql);
            }

            var result = await cli.ExpectAsync(0, "pg-restore", "--globals", "--snapshot", "latest", backedUp + "/globals.sql", "--component", "pg", "--config", Config(temp, superuser: true));

            Assert.Contains("1 tablespace(s) created (ts_gone), 1 existing tablespace(s) kept as they were (ts_kept)", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("role(s) created (ts_role)", result.Stdout, StringComparison.Ordinal);
            Assert.Equal("{seq_page_cost=5}", (await server.SuperuserSqlAsync("postgres", "SELECT spcoptions FROM pg_tablespace WHERE spcname = 'ts_kept'")).Trim());
            Assert.Equal($"ts_role|{goneLocation}", (await server.SuperuserSqlAsync("postgres", "SELECT spcowner::regrole, pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname = 'ts_gone'")).Trim());
            Assert.Equal("t", (await server.SuperuserSqlAsync("postgres", $"SELECT has_tablespace_privilege('{PostgresServerFixture.Role}', 'ts_gone', 'CREATE')")).Trim());
            Assert.Equal("line one\nline; two", (await server.SuperuserSqlAsync("postgres", "SELECT shobj_description(oid, 'pg_tablespace') FROM pg_tablespace WHERE spcname = 'ts_gone'")).Trim());
        }
        finally
        {
            await server.SuperuserSqlAsync("postgres", "DROP TABLESPACE IF EXISTS ts_gone");
            await server.SuperuserSqlAsync("postgres", "DROP TABLESPACE IF EXISTS ts_kept");
            await server.SuperuserSqlAsync("postgres", "DROP ROLE IF EXISTS ts_role");
        }
    }

    [Fact]
    public async Task RestoreHooks_StopRunsBefore_StartRunsAfter_AlsoWhenTheRestoreFails()
    {
        using var temp = new TempDirectory();
        var log = temp.Sub("hooks.log");
        var config = PgDumps.Config(server, temp, hooksLog: log);
        var gz = temp.Sub("dop.dump.gz");
        Gzip(gz, await PgDumpAsync(PostgresServerFixture.Database, "-Fp"));
        var cli = new CliRunner(temp.Sub("repo"));

        await cli.ExpectAsync(0, "pg-restore", gz, "--component", "pg", "--target-database", "shop_hooked", "--config", config);
        Assert.Equal("stop\nstart\n", await File.ReadAllTextAsync(log));

        var broken = temp.Sub("broken.dump.gz");
        await File.WriteAllBytesAsync(broken, (await File.ReadAllBytesAsync(gz))[..100]);
        await cli.ExpectAsync(1, "pg-restore", broken, "--component", "pg", "--target-database", "shop_hooked", "--force", "--config", config);
        Assert.Equal("stop\nstart\nstop\nstart\n", await File.ReadAllTextAsync(log));
        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("shop_hooked"));
    }

    private async Task CreateVictimAsync(string database)
    {
        await server.SuperuserSqlAsync("postgres", $"CREATE DATABASE {database} OWNER {PostgresServerFixture.Role}");
        await server.SuperuserSqlAsync(database, $"SET ROLE {PostgresServerFixture.Role}; CREATE TABLE marker (x int); INSERT INTO marker VALUES (42)");
    }

    private async Task AssertVictimIntactAsync(string database)
    {
        Assert.Equal("42", (await server.SuperuserSqlAsync(database, "SELECT x FROM marker")).Trim());
        Assert.Equal("t", (await server.SuperuserSqlAsync("postgres", $"SELECT datallowconn FROM pg_database WHERE datname = '{database}'")).Trim());
        Assert.DoesNotContain(await server.DatabasesAsync(), name => name.StartsWith(database + "_", StringComparison.Ordinal));
    }

    private static void AssertOneLineUntouched(string stderr, string database)
    {
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"restore into {database} failed, the existing database is untouched", line, StringComparison.Ordinal);
    }

    private Task<byte[]> PgDumpAsync(string database, string format) => PgDumps.PgDumpAsync(server, database, format);

    private static void Gzip(string path, byte[] content) => PgDumps.Gzip(path, content);
}
