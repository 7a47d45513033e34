using Stackvault.Components.Postgres;
using Stackvault.Configuration;

namespace Stackvault.Restore.Live;

/// <summary>
/// The connection a live PostgreSQL restore administers through: the component's DSN pointed at the <c>postgres</c>
/// database, because the DSN's own database is usually the one being restored (and may have been dropped).
/// </summary>
public static class LivePostgres
{
    public static PostgresConnection Admin(PostgresComponent component)
    {
        var connection = new PostgresConnection(component.Dsn, component.Password);
        return connection.Database is null or "postgres" ? connection : new PostgresConnection(connection.ForDatabase("postgres"), component.Password);
    }
}
