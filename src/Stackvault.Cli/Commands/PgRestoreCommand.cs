using System.CommandLine;
using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault pg-restore DUMP --component NAME --target-database DB [--jobs N] [--force]</c>: restores a
/// <c>pg_dump -Fc</c> file (first restored from a snapshot with <c>restore --include</c>) through the component's DSN
/// and password, into a new database first; an existing DB is replaced only with --force, and kept aside.
/// </summary>
internal static class PgRestoreCommand
{
    private static readonly Argument<string> Dump = new("dump") { Description = "The .dump file (pg_dump -Fc), e.g. restored from /<component>/<db>.dump" };
    private static readonly Option<string> Component = new("--component") { Description = "The postgres component of the config file whose dsn and password to use", Required = true };
    private static readonly Option<string> TargetDatabase = new("--target-database") { Description = "The database to restore into", Required = true };
    // one name for one thing: --pg-jobs, as in `restore --pg-jobs` (where --job names a job); --jobs/-j stay as a hidden alias
    private static readonly Option<int> Jobs = new("--pg-jobs") { Description = "Parallel pg_restore jobs (pg_restore --jobs)", DefaultValueFactory = _ => 2 };
    private static readonly Option<int?> JobsAlias = new("--jobs", "-j") { Hidden = true };
    private static readonly Option<bool> Force = new("--force") { Description = "Replace an existing database (kept as <db>_pre_restore_<time>)" };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };

    public static Command Create()
    {
        var command = new Command("pg-restore", "Restore a PostgreSQL dump into a new database, swapping only after a clean restore")
            { Dump, Component, TargetDatabase, Jobs, JobsAlias, Force, ConfigFile };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));

        var name = parse.GetValue(Component)!;
        if (config.Components.GetValueOrDefault(name) is not PostgresComponent component)
        {
            throw new StackvaultException($"{path}: there is no postgres component {name}", ExitCode.Usage);
        }

        var jobs = parse.GetValue(JobsAlias) ?? parse.GetValue(Jobs);
        if (jobs < 1)
        {
            throw new StackvaultException("--pg-jobs must be at least 1", ExitCode.Usage);
        }

        var restorer = new PostgresRestorer(new PostgresConnection(component.Dsn, component.Password), TimeProvider.System);
        var result = await restorer.RestoreAsync(parse.GetValue(Dump)!, parse.GetValue(TargetDatabase)!, jobs, parse.GetValue(Force), cancellationToken);
        if (output.Json)
        {
            output.Line("summary", new { database = result.Database, previous_database_kept_as = result.PreviousDatabaseKeptAs });
        }
        else
        {
            output.Result($"restored into database {result.Database}" + (result.PreviousDatabaseKeptAs is { } kept ? $", the previous one kept as {kept}" : string.Empty));
        }

        return (int)ExitCode.Ok;
    }
}
