using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary><see cref="PostgresAdapter"/> directly: the checks and the dump come from the same exported snapshot.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAdapterTests(PostgresServerFixture server)
{
    [Fact]
    public async Task RowsWrittenAfterPrepare_AreInNeitherTheChecksNorTheDump()
    {
        using var temp = new TempDirectory();
        await server.SuperuserSqlAsync("postgres", $"CREATE DATABASE moving OWNER {PostgresServerFixture.Role}");
        await server.SuperuserSqlAsync("moving", $"SET ROLE {PostgresServerFixture.Role}; CREATE TABLE events (id int); INSERT INTO events SELECT generate_series(1, 10)");
        var component = new PostgresComponent("pg", new HookSet([], []), 1, server.Dsn("moving"), SecretValue.Inline(PostgresServerFixture.Password), []);

        var plan = await new PostgresAdapter().PrepareAsync(component, temp.Path, CancellationToken.None);
        await using (plan.Cleanup)
        {
            await server.SuperuserSqlAsync("moving", "INSERT INTO events SELECT generate_series(11, 15)");
            Assert.Equal(10, plan.Section.Checks!["rows.public.events"]);
            var source = Assert.Single(plan.Sources, s => s.SnapshotPath == "/pg/moving.dump");
            await using (var dump = await source.OpenStream!(CancellationToken.None))
            await using (var file = File.Create(temp.Sub("moving.dump")))
            {
                await dump.CopyToAsync(file);
            }
        }

        await new PostgresRestorer(server.Connection("postgres"), TimeProvider.System).RestoreAsync(temp.Sub("moving.dump"), "moving_copy", 1, false, CancellationToken.None);
        Assert.Equal("10", (await server.SuperuserSqlAsync("moving_copy", "SELECT count(*) FROM events")).Trim());
        Assert.Equal("15", (await server.SuperuserSqlAsync("moving", "SELECT count(*) FROM events")).Trim());
    }
}
