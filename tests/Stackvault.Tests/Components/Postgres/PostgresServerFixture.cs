using System.Diagnostics;
using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>
/// A real PostgreSQL 15 server for the tests, run as the <c>postgres</c> OS user from a temporary data directory on a
/// free port (TCP on 127.0.0.1 with scram passwords, a private unix socket with trust for the setup). It holds the
/// database <see cref="Database"/> owned by the role <see cref="Role"/> (LOGIN CREATEDB, not a superuser).
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string Role = "svbackup";
    public const string Password = "pw-S3cret-7f1c";
    public const string Database = "shop";
    public const string Superuser = "svadmin";
    public const string SuperuserPassword = "pw-Adm1n-42aa";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sv-pg-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string SocketDirectory => Path.Combine(_root, "sock");

    /// <summary>The DSN the component uses: TCP, the role, no password.</summary>
    public string Dsn(string database = Database) => $"host=127.0.0.1 port={Port} user={Role} dbname={database}";

    public PostgresConnection Connection(string database = Database, string password = Password) =>
        new(Dsn(database), SecretValue.Inline(password));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        await RunAsync("chown", "-R", "postgres:postgres", _root);
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDirectory, "initdb"), "-D", DataDirectory, "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C");
        Port = LocalServer.FreePort();
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "log"),
            "-o", $"-p {Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start");
        await SuperuserSqlAsync("postgres", $"CREATE ROLE {Role} LOGIN CREATEDB PASSWORD '{Password}'");
        await SuperuserSqlAsync("postgres", $"CREATE ROLE {Superuser} LOGIN SUPERUSER PASSWORD '{SuperuserPassword}'");
        await SuperuserSqlAsync("postgres", $"CREATE DATABASE {Database} OWNER {Role}");
        await SuperuserSqlAsync("postgres", $"CREATE DATABASE inventory OWNER {Role}");
        await SuperuserSqlAsync("inventory", "CREATE TABLE parts (id int PRIMARY KEY); INSERT INTO parts SELECT generate_series(1, 17)");
        await SuperuserSqlAsync(Database, $$"""
            SET ROLE {{Role}};
            CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT '2026-01-01');
            INSERT INTO customers (name) SELECT 'customer ' || i FROM generate_series(1, 250) i;
            CREATE TABLE orders (id bigserial PRIMARY KEY, customer int REFERENCES customers, amount numeric(10,2), note text);
            INSERT INTO orders (customer, amount, note) SELECT 1 + i % 250, i * 1.25, CASE WHEN i % 7 = 0 THEN NULL ELSE 'n' || i END FROM generate_series(1, 1000) i;
            CREATE SCHEMA sales;
            CREATE TABLE sales."Odd Name" (k text PRIMARY KEY, v jsonb);
            INSERT INTO sales."Odd Name" VALUES ('a', '{"x": 1}'), ('b''s', '[1, 2]'), ('c', NULL);
            CREATE TABLE empty_table (x int);
            """);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Runs SQL as the superuser over the private socket and returns psql's unaligned output.</summary>
    public Task<string> SuperuserSqlAsync(string database, string sql) =>
        RunAsync("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-d", database, "-c", sql);

    /// <summary>Per user table of <paramref name="database"/>: md5 over its rows in text form, ordered.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TableChecksumsAsync(string database)
    {
        var tables = await SuperuserSqlAsync(database, "SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables ORDER BY 1");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var sum = await SuperuserSqlAsync(database, $"SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), 'empty') FROM {table} t");
            result[table] = sum.Trim();
        }

        return result;
    }

    public async Task<IReadOnlyList<string>> DatabasesAsync() =>
        (await SuperuserSqlAsync("postgres", "SELECT datname FROM pg_database ORDER BY 1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}

/// <summary>The test classes that share one <see cref="PostgresServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres";
}
