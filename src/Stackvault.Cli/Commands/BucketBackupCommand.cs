using System.CommandLine;
using Stackvault.Backup;
using Stackvault.Buckets;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault bucket backup</c>: the bucket's objects (with layout knowledge) into one snapshot.</summary>
internal static class BucketBackupCommand
{
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Tag the snapshot (repeatable)" };
    private static readonly Option<string?> Host = new("--host") { Description = "Host name recorded in the snapshot (default: this machine's)" };
    private static readonly Option<string> Name = new("--name") { Description = "Component name: the objects go under /NAME/ in the snapshot", DefaultValueFactory = _ => "bucket" };
    private static readonly Option<string?> Parent = new("--parent") { Description = "Compare against this snapshot instead of the latest of the same source, name and shard" };
    private static readonly Option<string?> FlushUrl = new("--flush-url") { Description = "Mimir/Cortex ingesters' /ingester/flush: called with wait=true and awaited before the bucket is listed; a failure makes the run partial" };
    private static readonly Option<bool> Force = new("--force") { Description = "Download every object, even those unchanged since the parent" };

    public static Command Create()
    {
        var command = new Command("backup", "Back up a bucket's objects into a snapshot; unchanged objects (key, size, ETag) are not downloaded again")
        {
            BucketCommand.Source, BucketCommand.Layout, BucketCommand.Tenants, BucketCommand.Keep, BucketCommand.Shard, BucketCommand.Concurrency, BucketCommand.AllowEmpty, FlushUrl, Tags, Host, Name, Parent, Force,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var scan = BucketCommand.ScanOptions(parse) with { FlushUrl = parse.GetValue(FlushUrl) };
        scan.Validate();
        var name = parse.GetValue(Name)!;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new UsageException($"invalid --name '{name}': one path component");
        }

        var options = new BucketBackupOptions
        {
            Name = name,
            Scan = scan,
            Tags = parse.GetValue(Tags) ?? [],
            Hostname = parse.GetValue(Host) ?? Environment.MachineName,
            Force = parse.GetValue(Force),
            Concurrency = scan.Concurrency,
        };
        var parentRef = parse.GetValue(Parent);

        // The bucket is listed while the repository opens, unless ingesters must flush before it is listed; and with
        // no parent to consult (--force, or a repository without snapshots) its meta.json files are read meanwhile too.
        var source = BucketStores.Open(parse.GetValue(BucketCommand.Source)!, Environment.GetEnvironmentVariable, scan.Concurrency);
        await using var store = scan.FlushUrl is null ? new ListingAhead(source) : source;
        var location = RepositoryAccess.Location(parse);
        await using var ahead = parentRef is null ? BucketScanAhead.Start(store, options, () => StorageFactory.Open(location), TimeProvider.System, cancellationToken) : null;
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "bucket backup", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        if (parentRef is not null)
        {
            options = options with { Parent = (await repository.FindSnapshotAsync(parentRef, null, cancellationToken)).Id };
        }

        var progress = new BackupProgress();
        using var display = new ProgressDisplay(output, progress, repository.Time, "bucket backup");
        var (plan, result) = await new BucketBackup(repository, repositoryLock, progress).RunAsync(store, options, ahead, cancellationToken);
        display.Stop();
        if (output.Json)
        {
            output.Line("report", BucketReportOutput.Json(plan.Report, plan.Freshness), CliJsonContext.Relaxed.BucketReportJson);
        }
        else if (!output.Quiet)
        {
            BucketReportOutput.Table(output, plan.Report, plan.Freshness);
        }

        BackupReport.Write(output, result, result.Snapshot.Components);
        return (int)(result.IsPartial ? ExitCode.Partial : ExitCode.Ok);
    }
}
