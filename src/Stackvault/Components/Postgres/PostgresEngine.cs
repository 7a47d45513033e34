using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Repository.Model;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Postgres;

/// <summary>
/// <c>type: postgres</c>: <c>pg_dump -Fc</c> per database (data) and <c>pg_dumpall --globals-only</c> (configuration);
/// restored through pg_restore into a new database first, then renamed (no live files); probed by
/// <c>server_version</c> and a SQL ping; drilled by restoring into a scratch database.
/// </summary>
internal sealed class PostgresEngine : IEngine
{
    public const string DumpExtension = ".dump";

    public string Type => PostgresComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["dsn", "password", "password_file", "password_command", "databases"];

    public string Method => "pg_dump";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Config, ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new()
    {
        VersionParts = 1,
        VersionHint = "pg_restore into an older major version may fail on newer syntax; into a newer one it works (check extensions)",
    };

    public IDrillCheck Drill { get; } = new PostgresDrillCheck();

    public IDatabaseRestore Database { get; } = new PostgresDatabaseRestore();

    public ComponentConfig? Read(EngineSection s)
    {
        var dsn = s.Reader.String(s.Map, s.Path, "dsn", required: true);
        if (dsn is not null && HasPassword(dsn))
        {
            s.Problem("dsn", "must not contain a password: use password, password_file or password_command");
            dsn = null;
        }

        var postgres = new PostgresComponent(s.Name, s.Hooks, s.Line, dsn ?? string.Empty, s.Reader.Secret(s.Map, s.Path, "password", s.EnvironmentPrefix), s.Reader.StringList(s.Map, s.Path, "databases"));
        return dsn is null ? null : postgres;
    }

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is PostgresComponent pg
        ? [("dsn", Configuration.ConfigRedaction.Text(pg.Dsn)), ("password", Configuration.ConfigDocument.Secret(pg.Password)), ("databases", pg.Databases)]
        : [];

    public IEnumerable<(string Key, SecretValue? Value)> Secrets(ComponentConfig component) =>
        component is PostgresComponent pg ? [("password", pg.Password)] : [];

    public IComponentAdapter Adapter(EngineServices services) => new PostgresAdapter();

    public ItemClass ClassOf(string relative) => relative.Split('/')[0].EndsWith(DumpExtension, StringComparison.Ordinal) ? ItemClass.Data : ItemClass.Config;

    /// <summary>No files: a live restore goes through pg_restore (the live runner's database path).</summary>
    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) => [];

    public IEngineProbe Probe(EngineServices services) => new PostgresProbe();

    private static bool HasPassword(string dsn) =>
        dsn.Contains("password", StringComparison.OrdinalIgnoreCase)
        || (Uri.TryCreate(dsn, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal));

    private sealed class PostgresProbe : IEngineProbe
    {
        public async Task<string?> VersionAsync(ComponentConfig component, CancellationToken cancellationToken)
        {
            var connection = LivePostgres.Admin((PostgresComponent)component);
            return (await connection.QueryAsync(connection.MaintenanceDatabase, "SHOW server_version", cancellationToken).ConfigureAwait(false)).Single()[0];
        }

        public Task<string?> ReadyAsync(ComponentConfig component, CancellationToken cancellationToken) =>
            PingAsync((PostgresComponent)component, LivePostgres.Admin((PostgresComponent)component).MaintenanceDatabase, cancellationToken);

        public async Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken)
        {
            foreach (var database in databases)
            {
                if (await PingAsync((PostgresComponent)component, database, cancellationToken).ConfigureAwait(false) is { } error)
                {
                    return (error, string.Empty);
                }
            }

            return (null, $"SELECT 1 answered in {string.Join(", ", databases)}");
        }

        private static async Task<string?> PingAsync(PostgresComponent pg, string database, CancellationToken cancellationToken)
        {
            try
            {
                var rows = await LivePostgres.Admin(pg).QueryAsync(database, "SELECT 1", cancellationToken).ConfigureAwait(false);
                return rows.Count == 1 && rows[0][0] == "1" ? null : $"database {database}: SELECT 1 answered unexpectedly";
            }
            catch (Exception e) when (e is IOException or Errors.StackvaultException)
            {
                return $"database {database}: {e.Message}";
            }
        }
    }
}
