using System.CommandLine;
using Stackvault.Buckets;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault bucket restore SNAPSHOT --target URL</c>: uploads a bucket backup, each block's meta.json last.</summary>
internal static class BucketRestoreCommand
{
    private static readonly Argument<string> SnapshotRef = new("snapshot") { Description = "Snapshot id (prefix) or 'latest'" };
    private static readonly Option<string> Target = new("--target", "-t") { Description = "The bucket to upload into: s3:http(s)://HOST/BUCKET[/PREFIX], s3://BUCKET[/PREFIX] or a directory", Required = true };
    private static readonly Option<string[]> Tenants = new("--tenant") { Description = "Only this tenant (repeatable)" };
    private static readonly Option<string?> MinTime = new("--min-time") { Description = "Only blocks with data at or after this time (RFC 3339 or Unix ms)" };
    private static readonly Option<string?> MaxTime = new("--max-time") { Description = "Only blocks with data at or before this time (RFC 3339 or Unix ms)" };
    private static readonly Option<bool> Overwrite = new("--overwrite") { Description = "Replace target objects whose content differs (refused by default)" };
    private static readonly Option<bool> IncludeCorrupt = new("--include-corrupt") { Description = "Also restore blocks that were corrupt at backup (a block missing a listed file goes up without its meta.json)" };
    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "Say what would be uploaded; write nothing" };
    private static readonly Option<string?> Component = new("--component") { Description = "The bucket component to restore when the snapshot holds several" };
    private static readonly Option<string?> Host = new("--host") { Description = "With 'latest': the latest snapshot of this host" };
    private static readonly Option<int> Concurrency = new("--concurrency") { Description = "Objects uploaded in parallel", DefaultValueFactory = _ => 8 };

    public static Command Create()
    {
        var command = new Command("restore", "Upload a bucket backup into a bucket: files before each block's meta.json; existing identical objects skipped (resume)")
        {
            SnapshotRef, Target, Tenants, MinTime, MaxTime, Overwrite, IncludeCorrupt, DryRun, Component, Host, Concurrency,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var options = new BucketRestoreOptions
        {
            Tenants = parse.GetValue(Tenants) ?? [],
            MinTime = BucketCommand.Time(parse.GetValue(MinTime), "--min-time"),
            MaxTime = BucketCommand.Time(parse.GetValue(MaxTime), "--max-time"),
            Overwrite = parse.GetValue(Overwrite),
            IncludeCorrupt = parse.GetValue(IncludeCorrupt),
            DryRun = parse.GetValue(DryRun),
            Concurrency = parse.GetValue(Concurrency),
        };
        options.Validate();
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "bucket restore", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, parse.GetValue(Host), cancellationToken);
        var buckets = snapshot.Components?.Where(c => c.Type == Configuration.BucketComponent.TypeName).ToList() ?? [];
        var section = parse.GetValue(Component) is { } name
            ? Components.ComponentLayout.Find(snapshot, name)
            : buckets.Count == 1 ? buckets[0]
            : throw new UsageException(buckets.Count == 0 ? $"snapshot {id.ToShortString()} holds no bucket backup" : $"snapshot {id.ToShortString()} holds several buckets ({string.Join(", ", buckets.Select(b => b.Name))}): use --component");
        if (section.Status == Repository.Model.ComponentStatus.Failed)
        {
            throw new StackvaultException($"component '{section.Name}' failed in this snapshot and has no data: {section.Error}");
        }

        await using var target = BucketStores.Open(parse.GetValue(Target)!, Environment.GetEnvironmentVariable, options.Concurrency, target: true);
        var start = repository.Time.GetTimestamp();
        var progress = new Progress.OperationProgress();
        BucketRestoreResult result;
        using (var display = new ProgressDisplay(output, progress, repository.Time, "bucket restore"))
        {
            result = await new BucketRestorer(repository).RunAsync(snapshot, section, target, options, progress, cancellationToken);
        }

        var elapsed = repository.Time.GetElapsedTime(start);
        foreach (var block in result.CorruptLeftOut)
        {
            output.Warn($"block {block} was corrupt at backup: left out (use --include-corrupt to restore it anyway)");
        }

        foreach (var block in result.MetaWithheld)
        {
            output.Warn($"block {block}: restored without its meta.json, which lists files the snapshot does not hold");
        }

        if (output.Json)
        {
            output.Line("summary", new BucketRestoreSummaryJson(
                SnapshotId: id.ToString(),
                Component: section.Name,
                Target: target.Location,
                DryRun: result.DryRun,
                ObjectsUploaded: result.Uploaded,
                ObjectsSkipped: result.Skipped,
                ObjectsReplaced: result.Replaced,
                ObjectsFiltered: result.Filtered,
                Blocks: result.Blocks,
                BlocksCorruptLeftOut: result.CorruptLeftOut.Count,
                BlocksMetaWithheld: result.MetaWithheld.Count,
                BytesUploaded: result.Bytes,
                DurationSeconds: elapsed.TotalSeconds), CliJsonContext.Relaxed.BucketRestoreSummaryJson);
            return (int)ExitCode.Ok;
        }

        var verb = result.DryRun ? "would upload" : "uploaded";
        output.Result($"{verb} {result.Uploaded} objects ({result.Blocks} blocks, {Units.Bytes(result.Bytes)}) of snapshot {id.ToShortString()} to {target.Location} in {Units.Duration(elapsed)}; {result.Skipped} already there, {result.Replaced} replaced, {result.Filtered} filtered out{(result.CorruptLeftOut.Count > 0 ? $", {result.CorruptLeftOut.Count} corrupt blocks left out" : string.Empty)}");
        return (int)ExitCode.Ok;
    }
}

/// <summary>The <c>summary</c> record of <c>bucket restore</c>.</summary>
internal sealed record BucketRestoreSummaryJson(
    string SnapshotId,
    string Component,
    string Target,
    bool DryRun,
    int ObjectsUploaded,
    int ObjectsSkipped,
    int ObjectsReplaced,
    int ObjectsFiltered,
    int Blocks,
    int BlocksCorruptLeftOut,
    int BlocksMetaWithheld,
    long BytesUploaded,
    double DurationSeconds);
