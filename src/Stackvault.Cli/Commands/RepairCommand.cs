using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repair;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault repair index|snapshots</c>: bring a damaged repository back (docs/disaster-recovery.md, "Repairing a
/// damaged repository"). Both take the exclusive lock; both accept --dry-run/-n.
/// </summary>
internal static class RepairCommand
{
    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "Show what would change; change nothing" };
    private static readonly Option<bool> ReadAllPacks = new("--read-all-packs") { Description = "Read every pack whole: check its SHA-256 name and header, not only the packs no readable index file describes (finds flipped data bytes)" };
    private static readonly Option<bool> Forget = new("--forget") { Description = "Remove the originals of repaired snapshots, snapshots with nothing left, and unreadable snapshot files" };

    public static Command Create()
    {
        var index = new Command("index", "Rebuild the index from the packs (their headers are authenticated); drops what storage lost") { DryRun, ReadAllPacks };
        index.SetAction(IndexAsync);
        var snapshots = new Command("snapshots", "Rewrite snapshots that reference lost data, keeping what is readable (tag 'repaired'); run 'repair index' first") { DryRun, Forget };
        snapshots.SetAction(SnapshotsAsync);
        return new Command("repair", "Repair a damaged repository: 'repair index', then 'repair snapshots', then 'prune'") { index, snapshots };
    }

    private static async Task<int> IndexAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "repair index", cancellationToken);
        var result = await new IndexRepairer(repository, repositoryLock) { DryRun = parse.GetValue(DryRun), ReadAllPacks = parse.GetValue(ReadAllPacks), Log = output.Info }.RunAsync(cancellationToken);
        if (output.Json)
        {
            output.Document(result, CliJsonContext.Relaxed.IndexRepairResult);
            return (int)ExitCode.Ok;
        }

        foreach (var bad in result.IndexFilesUnreadable)
        {
            output.Warn("unreadable index file replaced: " + bad);
        }

        foreach (var bad in result.PacksDamaged)
        {
            output.Warn("damaged pack left out of the index (the next prune deletes it; salvage first with tools/recover.py --scan-packs if needed): " + bad);
        }

        foreach (var missing in result.PacksMissing)
        {
            output.Warn($"indexed pack data/{missing[..2]}/{missing} is missing: dropped from the index");
        }

        var verb = result.DryRun ? "would write" : "wrote";
        output.Result($"{verb} an index of {result.PacksIndexed} packs ({result.BlobsIndexed} blobs): {result.PacksFromIndex} from readable index files, " +
            $"{result.PacksHeaderRead} headers read, {result.PacksDamaged.Count} damaged, {result.PacksMissing.Count} missing; replaced {result.IndexFilesRead + result.IndexFilesUnreadable.Count} index files");
        if (result.PacksDamaged.Count + result.PacksMissing.Count > 0)
        {
            output.Result("data was lost: run 'stackvault repair snapshots' to drop it from the snapshots that need it, then 'stackvault prune'");
        }

        return (int)ExitCode.Ok;
    }

    private static async Task<int> SnapshotsAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "repair snapshots", cancellationToken);
        var result = await new SnapshotRepairer(repository, repositoryLock) { DryRun = parse.GetValue(DryRun), Forget = parse.GetValue(Forget), Log = output.Info }.RunAsync(cancellationToken);
        if (output.Json)
        {
            output.Document(result, CliJsonContext.Relaxed.SnapshotRepairResult);
            return (int)ExitCode.Ok;
        }

        foreach (var r in result.Repaired)
        {
            output.Result(r.Repaired is null
                ? $"snapshot {r.Original} would be rewritten without {r.Dropped.Count} lost paths: {string.Join(", ", r.Dropped)}"
                : $"snapshot {r.Original} rewritten as {r.Repaired} (tag '{SnapshotRepairer.RepairedTag}') without {r.Dropped.Count} lost paths: {string.Join(", ", r.Dropped)}");
        }

        foreach (var u in result.Unrepairable)
        {
            output.Result($"snapshot {u}: its root tree is lost, nothing is readable" + (parse.GetValue(Forget) ? (result.DryRun ? "; would be removed" : "; removed") : "; kept (--forget removes it)"));
        }

        foreach (var u in result.Unreadable)
        {
            output.Result($"snapshot file unreadable: {u}" + (parse.GetValue(Forget) ? (result.DryRun ? "; would be removed" : "; removed") : "; kept (--forget removes it)"));
        }

        output.Result($"{result.SnapshotsChecked} snapshots checked: {result.SnapshotsIntact} intact, {result.Repaired.Count} {(result.DryRun ? "to rewrite" : "rewritten")}, " +
            $"{result.Unrepairable.Count} with nothing left, {result.Unreadable.Count} unreadable; {result.SnapshotsRemoved} removed");
        return (int)ExitCode.Ok;
    }
}
