using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>
/// <c>pg-restore --snapshot SNAP PATH</c>: a dump read straight out of a snapshot (a files backup, or a generic
/// <c>bucket backup</c> of the platform's dump bucket) into a new database with the guarded swap, through the CLI
/// against a real PostgreSQL 15; and the paths that are not a dump, refused before anything is touched.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotDumpTests(PostgresServerFixture server)
{
    [Fact]
    public async Task GzippedDump_NewestMatchingPattern_RestoredStraightFromTheSnapshot_ThenSwappedWithForce()
    {
        using var temp = new TempDirectory();
        var dumps = temp.Sub("dumps");
        await WriteDumpsAsync(dumps, "dop-202601011200.dump.gz", "dop-202601021200.dump.gz");
        await File.WriteAllBytesAsync(Path.Combine(dumps, "shop.dump"), await PgDumps.PgDumpAsync(server, PostgresServerFixture.Database, "-Fc"));
        var cli = Cli(temp);
        await cli.InitAsync();
        await cli.RunOkAsync("backup", dumps);
        var config = PgDumps.Config(server, temp);
        var expected = await server.TableChecksumsAsync(PostgresServerFixture.Database);

        var first = await cli.ExpectAsync(0, "pg-restore", "--snapshot", "latest", dumps + "/dop-*.dump.gz", "--component", "pg", "--target-database", "shop_snap", "--config", config);

        Assert.Contains($"restored into database shop_snap from a gzipped plain SQL dump (", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($":{dumps}/dop-202601021200.dump.gz)", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await server.TableChecksumsAsync("shop_snap"));

        // the data goes bad; the exact path, by snapshot id prefix, puts it back and keeps the bad copy aside
        await server.SuperuserSqlAsync("shop_snap", "DELETE FROM orders WHERE id > 10; UPDATE customers SET name = 'changed'");
        var id = (await cli.RunOkAsync("snapshots", "--json")).Json()[0].GetProperty("id").GetString()![..8];
        var second = await cli.ExpectAsync(0, "pg-restore", "--snapshot", id, dumps + "/dop-202601021200.dump.gz", "--component", "pg", "--target-database", "shop_snap", "--force", "--config", config);

        Assert.Contains("the previous one kept as shop_snap_pre_restore_", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await server.TableChecksumsAsync("shop_snap"));
        var kept = (await server.DatabasesAsync()).Single(name => name.StartsWith("shop_snap_pre_restore_", StringComparison.Ordinal));
        Assert.Equal("10", (await server.SuperuserSqlAsync(kept, "SELECT count(*) FROM orders")).Trim());

        // a custom-format dump in a snapshot is staged for pg_restore --jobs, in a temporary directory removed afterwards;
        // the gzipped ones above were streamed (nothing written to the temporary directory at all)
        var custom = await cli.ExpectAsync(0, "pg-restore", "--snapshot", "latest", dumps + "/shop.dump", "--component", "pg", "--target-database", "shop_snap_fc", "--config", config);
        Assert.Contains("from a custom-format dump", custom.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await server.TableChecksumsAsync("shop_snap_fc"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Sub("tmp")));
    }

    [Fact]
    public async Task DumpInAGenericBucketBackup_IsRestoredByPattern()
    {
        using var temp = new TempDirectory();
        var bucket = temp.Sub("backup-bucket");
        await WriteDumpsAsync(bucket, "dop-202612010300.dump.gz", "dop-202612020300.dump.gz");
        var cli = Cli(temp);
        await cli.InitAsync();
        await cli.RunOkAsync("bucket", "backup", "--source", bucket, "--layout", "generic", "--name", "pg-dumps");

        var result = await cli.ExpectAsync(0, "pg-restore", "--snapshot", "latest", "/pg-dumps/dop-*.dump.gz", "--component", "pg", "--target-database", "dop_bucket", "--config", PgDumps.Config(server, temp));

        Assert.Contains(":/pg-dumps/dop-202612020300.dump.gz)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(await server.TableChecksumsAsync(PostgresServerFixture.Database), await server.TableChecksumsAsync("dop_bucket"));
    }

    [Fact]
    public async Task PathsThatAreNotADump_OneLineExit2_NoHookRun_ExistingDatabaseUntouched()
    {
        using var temp = new TempDirectory();
        var dumps = temp.Sub("dumps");
        PgDumps.Gzip(Path.Combine(dumps, "dop-202601021200.dump.gz"), await PgDumps.PgDumpAsync(server, "inventory", "-Fp"));
        Directory.CreateDirectory(Path.Combine(dumps, "archive.dump.gz"));
        await File.WriteAllBytesAsync(Path.Combine(dumps, "dop-binary.dump"), [0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]);
        var cli = Cli(temp);
        await cli.InitAsync();
        await cli.RunOkAsync("backup", dumps);
        await server.SuperuserSqlAsync("postgres", $"CREATE DATABASE victim_snap OWNER {PostgresServerFixture.Role}");
        await server.SuperuserSqlAsync("victim_snap", $"SET ROLE {PostgresServerFixture.Role}; CREATE TABLE marker (x int); INSERT INTO marker VALUES (42)");
        var log = temp.Sub("hooks.log");
        var config = PgDumps.Config(server, temp, hooksLog: log);

        foreach (var (path, reason) in new[]
        {
            (dumps + "/dop-209901010000.dump.gz", "has no " + dumps + "/dop-209901010000.dump.gz (its directory holds: archive.dump.gz/, dop-202601021200.dump.gz, dop-binary.dump)"),
            (dumps + "/archive.dump.gz", "is a directory, not a file"),
            (dumps + "/dop-binary.dump", "is neither a pg_dump custom-format file (PGDMP), gzip, nor SQL text"),
            (dumps + "/nope-*.sql.gz", "matches nope-*.sql.gz"),
            (temp.Path + "/dump*/dop-202601021200.dump.gz", "only the file name may be a pattern"),
            (temp.Path + "/missing/dop.dump.gz", "has no directory " + temp.Path + "/missing"),
        })
        {
            var result = await cli.ExpectAsync(2, "pg-restore", "--snapshot", "latest", path, "--component", "pg", "--target-database", "victim_snap", "--force", "--config", config);
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(reason, line, StringComparison.Ordinal);
        }

        var outsideSnapshot = await cli.ExpectAsync(2, "pg-restore", dumps, "--component", "pg", "--target-database", "victim_snap", "--force", "--config", config);
        Assert.Contains("(it is a directory)", outsideSnapshot.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(log), "a stop hook ran for a dump that was refused");
        Assert.Equal("42", (await server.SuperuserSqlAsync("victim_snap", "SELECT x FROM marker")).Trim());
        Assert.DoesNotContain(await server.DatabasesAsync(), name => name.StartsWith("victim_snap_", StringComparison.Ordinal));
    }

    /// <summary>Two gzipped plain dumps; the older is another database, so restoring it instead of the newer shows in the checksums.</summary>
    private async Task WriteDumpsAsync(string directory, string older, string newer)
    {
        PgDumps.Gzip(Path.Combine(directory, older), await PgDumps.PgDumpAsync(server, "inventory", "-Fp"));
        PgDumps.Gzip(Path.Combine(directory, newer), await PgDumps.PgDumpAsync(server, PostgresServerFixture.Database, "-Fp"));
    }

    /// <summary>A CLI whose temporary directory is a fresh one of its own, so a staged dump left behind shows.</summary>
    private static CliRunner Cli(TempDirectory temp)
    {
        var cli = new CliRunner(temp.Sub("repo"));
        Directory.CreateDirectory(temp.Sub("tmp"));
        cli.Environment["TMPDIR"] = temp.Sub("tmp");
        return cli;
    }
}
