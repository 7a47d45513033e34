using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Locking;
using Stackvault.Restore;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault pg-restore DUMP --component NAME --target-database DB [--pg-jobs N] [--force]</c>: restores a dump
/// through the component's DSN and password, into a new database first; an existing DB is replaced only with --force,
/// and kept aside. DUMP is a local file, or with <c>--snapshot SNAP</c> (an id prefix or 'latest') a path in that
/// snapshot of the repository (--repo / STACKVAULT_REPOSITORY), read straight out of it; its file name may be a
/// pattern (<c>dop-*.dump.gz</c>: the last match in name order). The dump's format is told by its content:
/// <c>pg_dump -Fc</c> (PGDMP), plain SQL (<c>pg_dump -Fp</c>), or gzipped plain SQL (<c>*.dump.gz</c>).
/// <c>stackvault pg-restore --globals FILE --component NAME</c> restores a <c>globals.sql</c> (roles, grants,
/// tablespaces) without dropping or changing an existing role or tablespace.
/// </summary>
internal static class PgRestoreCommand
{
    private static readonly Argument<string> Dump = new("dump") { Description = "The dump: pg_dump -Fc (e.g. restored from /<component>/<db>.dump), plain SQL, or gzipped plain SQL (*.dump.gz); with --globals a globals.sql. With --snapshot its path in the snapshot (as `show` lists it); the file name may be a pattern, e.g. '/pg-dumps/dop-*.dump.gz' (the last match in name order)" };
    private static readonly Option<string?> Snapshot = new("--snapshot") { Description = "Read the dump straight out of this snapshot of the repository (an id prefix or 'latest')" };
    private static readonly Option<string?> Host = new("--host") { Description = "With --snapshot latest: the latest snapshot of this host" };
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
            { Dump, Snapshot, Host, Component, TargetDatabase, Globals, Jobs, JobsAlias, Force, ConfigFile };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));

        var name = parse.GetValue(Component)!;
        var component = ConfigAccess.Component<PostgresComponent>(config, path, name, "postgres");

        var target = parse.GetValue(TargetDatabase);
        var connection = new PostgresConnection(component.Dsn, component.Password);
        var globalsOnly = parse.GetValue(Globals);
        if (globalsOnly && (target is not null || parse.GetValue(Force)))
        {
            throw new UsageException("--globals restores roles into the cluster: --target-database and --force do not apply");
        }

        if (!globalsOnly && target is null)
        {
            throw new UsageException("pg-restore needs --target-database (or --globals for a globals.sql)");
        }

        var jobs = parse.GetValue(JobsAlias) ?? parse.GetValue(Jobs);
        if (jobs < 1)
        {
            throw new UsageException("--pg-jobs must be at least 1");
        }

        // a dump in a snapshot is read out of the repository under a shared lock, held until the restore is done
        var snapshotRef = parse.GetValue(Snapshot);
        if (snapshotRef is null && parse.GetValue(Host) is not null)
        {
            throw new UsageException("--host picks the latest snapshot of a host: it goes with --snapshot latest");
        }

        await using var repository = snapshotRef is null ? null : await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = repository is null ? null : await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "pg-restore", cancellationToken);
        var dump = await SourceAsync(repository, snapshotRef, parse.GetValue(Host), parse.GetValue(Dump)!, cancellationToken);
        var from = repository is null ? string.Empty : $" ({dump.Name})";
        if (globalsOnly)
        {
            var globals = await new GlobalsRestorer(connection).RestoreAsync(dump, cancellationToken);
            if (output.Json)
            {
                output.Line(
                    "summary",
                    new PgGlobalsSummaryJson(dump.Name, globals.Created, globals.KeptExisting, globals.TablespacesCreated, globals.TablespacesKept, globals.DropsSkipped),
                    CliJsonContext.Relaxed.PgGlobalsSummaryJson);
            }
            else
            {
                var tablespaces = globals.TablespacesCreated.Count + globals.TablespacesKept.Count == 0 ? string.Empty
                    : $"{globals.TablespacesCreated.Count} tablespace(s) created ({string.Join(", ", globals.TablespacesCreated)}), {globals.TablespacesKept.Count} existing tablespace(s) kept as they were ({string.Join(", ", globals.TablespacesKept)}), ";
                output.Result($"globals restored{from}: {globals.Created.Count} role(s) created ({string.Join(", ", globals.Created)}), "
                    + $"{globals.KeptExisting.Count} existing role(s) kept as they were ({string.Join(", ", globals.KeptExisting)}), {tablespaces}{globals.DropsSkipped} DROP ROLE/TABLESPACE statement(s) skipped");
            }

            return (int)ExitCode.Ok;
        }

        // a dump that is missing or not a dump stops here, before the stop hooks
        DumpFormats.Detect(dump);

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
            result = await restorer.RestoreAsync(dump, target!, jobs, parse.GetValue(Force), cancellationToken);
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
            output.Line(
                "summary",
                new PgRestoreSummaryJson(result.Database, dump.Name, FormatName(result.Format), result.PreviousDatabaseKeptAs),
                CliJsonContext.Relaxed.PgRestoreSummaryJson);
        }
        else
        {
            output.Result($"restored into database {result.Database} from a {FormatName(result.Format)} dump{from}" + (result.PreviousDatabaseKeptAs is { } kept ? $", the previous one kept as {kept}" : string.Empty));
        }

        return (int)ExitCode.Ok;
    }

    /// <summary>The dump: a local file, or the file (or the last file matching a pattern) at a path in a snapshot.</summary>
    private static async Task<DumpSource> SourceAsync(Repository.Repository? repository, string? snapshotRef, string? host, string path, CancellationToken cancellationToken)
    {
        if (repository is null)
        {
            return File.Exists(path) ? DumpSource.FromFile(path)
                : throw new UsageException($"the dump {path} does not exist" + (Directory.Exists(path) ? " (it is a directory)" : string.Empty));
        }

        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(snapshotRef!, host, cancellationToken);
        var file = await SnapshotFile.FindAsync(repository, id, snapshot, path, cancellationToken);
        return DumpSource.FromSnapshot(file, id.ToShortString());
    }

    private static string FormatName(DumpFormat format) => format switch
    {
        DumpFormat.Custom => "custom-format",
        DumpFormat.PlainSql => "plain SQL",
        _ => "gzipped plain SQL",
    };
}

/// <summary>The <c>summary</c> record of <c>pg-restore --globals-only</c>.</summary>
internal sealed record PgGlobalsSummaryJson(
    string Source,
    IReadOnlyList<string> RolesCreated,
    IReadOnlyList<string> RolesKept,
    IReadOnlyList<string> TablespacesCreated,
    IReadOnlyList<string> TablespacesKept,
    int DropStatementsSkipped);

/// <summary>The <c>summary</c> record of <c>pg-restore</c>: the database restored into, and where the previous one was kept.</summary>
internal sealed record PgRestoreSummaryJson(string Database, string Source, string Format, string? PreviousDatabaseKeptAs);
