using System.CommandLine;
using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault pg-restore DUMP --component NAME --target-database DB [--pg-jobs N] [--force]</c>: restores a dump
/// (first restored from a snapshot with <c>restore --include</c>) through the component's DSN and password, into a
/// new database first; an existing DB is replaced only with --force, and kept aside. The dump's format is told by its
/// content: <c>pg_dump -Fc</c> (PGDMP), plain SQL (<c>pg_dump -Fp</c>), or gzipped plain SQL (<c>*.dump.gz</c>).
/// <c>stackvault pg-restore --globals FILE --component NAME</c> restores a <c>globals.sql</c> (roles, grants) without
/// dropping or changing an existing role.
/// </summary>
internal static class PgRestoreCommand
{
    private static readonly Argument<string> Dump = new("dump") { Description = "The dump: pg_dump -Fc (e.g. restored from /<component>/<db>.dump), plain SQL, or gzipped plain SQL (*.dump.gz); with --globals a globals.sql" };
    private static readonly Option<string> Component = new("--component") { Description = "The postgres component of the config file whose dsn and password to use", Required = true };
    private static readonly Option<string> TargetDatabase = new("--target-database") { Description = "The database to restore into (not with --globals)" };
    private static readonly Option<bool> Globals = new("--globals") { Description = "The file is a globals.sql (pg_dumpall --globals-only): create missing roles, keep existing ones, never drop one" };
    // one name for one thing: --pg-jobs, as in `restore --pg-jobs` (where --job names a job); --jobs/-j stay as a hidden alias
    private static readonly Option<int> Jobs = new("--pg-jobs") { Description = "Parallel pg_restore jobs (pg_restore --jobs)", DefaultValueFactory = _ => 2 };
    private static readonly Option<int?> JobsAlias = new("--jobs", "-j") { Hidden = true };
    private static readonly Option<bool> Force = new("--force") { Description = "Replace an existing database (kept as <db>_pre_restore_<time>)" };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };

    public static Command Create()
    {
        var command = new Command("pg-restore", "Restore a PostgreSQL dump into a new database, swapping only after a clean restore")
            { Dump, Component, TargetDatabase, Globals, Jobs, JobsAlias, Force, ConfigFile };
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
            throw new UsageException($"{path}: there is no postgres component {name}");
        }

        var target = parse.GetValue(TargetDatabase);
        var connection = new PostgresConnection(component.Dsn, component.Password);
        if (parse.GetValue(Globals))
        {
            if (target is not null || parse.GetValue(Force))
            {
                throw new UsageException("--globals restores roles into the cluster: --target-database and --force do not apply");
            }

            var globals = await new GlobalsRestorer(connection).RestoreAsync(parse.GetValue(Dump)!, cancellationToken);
            if (output.Json)
            {
                output.Line("summary", new { roles_created = globals.Created, roles_kept = globals.KeptExisting, drop_role_statements_skipped = globals.DropsSkipped });
            }
            else
            {
                output.Result($"globals restored: {globals.Created.Count} role(s) created ({string.Join(", ", globals.Created)}), "
                    + $"{globals.KeptExisting.Count} existing role(s) kept as they were ({string.Join(", ", globals.KeptExisting)}), {globals.DropsSkipped} DROP ROLE statement(s) skipped");
            }

            return (int)ExitCode.Ok;
        }

        if (target is null)
        {
            throw new UsageException("pg-restore needs --target-database (or --globals for a globals.sql)");
        }

        var jobs = parse.GetValue(JobsAlias) ?? parse.GetValue(Jobs);
        if (jobs < 1)
        {
            throw new UsageException("--pg-jobs must be at least 1");
        }

        // the component's restore_hooks: stop before the restore (a failing one stops it, nothing changed), start after,
        // also when the restore failed (the seed's "scale back up" runs either way)
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var hooks = new HookRunner(http);
        var stop = await hooks.RunListAsync(component.RestoreHooks.Pre, $"{name}: restore stop hook", true, output.Warn, cancellationToken);
        if (stop.Fatal is not null)
        {
            await hooks.RunListAsync(component.RestoreHooks.Post, $"{name}: restore start hook", false, output.Warn, CancellationToken.None);
            throw new StackvaultException($"{name}: a stop hook failed, nothing was restored: {stop.Fatal}");
        }

        PostgresRestoreResult result;
        try
        {
            var restorer = new PostgresRestorer(connection, TimeProvider.System);
            result = await restorer.RestoreAsync(parse.GetValue(Dump)!, target, jobs, parse.GetValue(Force), cancellationToken);
        }
        catch
        {
            var after = await hooks.RunListAsync(component.RestoreHooks.Post, $"{name}: restore start hook", false, output.Warn, CancellationToken.None);
            if (after.Fatal is not null)
            {
                output.Warn($"{name}: a start hook failed: {after.Fatal}");
            }

            throw;
        }

        var start = await hooks.RunListAsync(component.RestoreHooks.Post, $"{name}: restore start hook", false, output.Warn, CancellationToken.None);
        if (start.Fatal is not null)
        {
            throw new StackvaultException($"restored into database {result.Database}, but a start hook failed: {start.Fatal}");
        }

        if (output.Json)
        {
            output.Line("summary", new { database = result.Database, format = FormatName(result.Format), previous_database_kept_as = result.PreviousDatabaseKeptAs });
        }
        else
        {
            output.Result($"restored into database {result.Database} from a {FormatName(result.Format)} dump" + (result.PreviousDatabaseKeptAs is { } kept ? $", the previous one kept as {kept}" : string.Empty));
        }

        return (int)ExitCode.Ok;
    }

    private static string FormatName(DumpFormat format) => format switch
    {
        DumpFormat.Custom => "custom-format",
        DumpFormat.PlainSql => "plain SQL",
        _ => "gzipped plain SQL",
    };
}
