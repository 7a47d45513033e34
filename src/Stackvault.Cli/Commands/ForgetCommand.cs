using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Maintenance;
using Stackvault.Maintenance.Retention;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault forget</c>: removes the snapshots a retention policy does not keep (and with --prune their data).</summary>
internal static partial class ForgetCommand
{
    private static readonly Option<int> Last = new("--keep-last") { Description = "Keep the newest N snapshots" };
    private static readonly Option<int> Hourly = new("--keep-hourly") { Description = "Keep the newest snapshot of each of the newest N hours (UTC)" };
    private static readonly Option<int> Daily = new("--keep-daily") { Description = "Keep the newest snapshot of each of the newest N days (UTC)" };
    private static readonly Option<int> Weekly = new("--keep-weekly") { Description = "Keep the newest snapshot of each of the newest N ISO weeks" };
    private static readonly Option<int> Monthly = new("--keep-monthly") { Description = "Keep the newest snapshot of each of the newest N months" };
    private static readonly Option<int> Yearly = new("--keep-yearly") { Description = "Keep the newest snapshot of each of the newest N years" };
    private static readonly Option<string?> Within = new("--keep-within") { Description = "Keep every snapshot within this duration of the group's newest (e.g. 7d, 36h, 1y2m)" };
    private static readonly Option<string[]> KeepTags = new("--keep-tag") { Description = "Keep every snapshot with this tag (repeatable)" };
    private static readonly Option<string> GroupByOption = new("--group-by") { Description = "Group snapshots by these fields: host, paths, tags (comma-separated; '' for one group)", DefaultValueFactory = _ => "host,paths" };
    private static readonly Option<string?> Host = new("--host") { Description = "Only consider snapshots of this host" };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Only consider snapshots with this tag (repeatable: all must match)" };
    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "Show what would be kept (and why) and removed; change nothing" };
    private static readonly Option<bool> Prune = new("--prune") { Description = "Run prune afterwards, under the same lock" };
    private static readonly Option<double> MaxUnused = PruneCommand.MaxUnusedOption();
    private static readonly Option<bool> AllowEmpty = new("--allow-empty") { Description = "Allow removing the last complete snapshot of a group" };

    public static Command Create()
    {
        var command = new Command("forget", "Remove snapshots by a retention policy (data goes with prune)")
        {
            Last, Hourly, Daily, Weekly, Monthly, Yearly, Within, KeepTags, GroupByOption, Host, Tags, DryRun, Prune, AllowEmpty, MaxUnused, JobOption, ConfigFile,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        if (parse.GetValue(JobOption) is { } jobName)
        {
            return await RunJobAsync(parse, output, jobName, cancellationToken);
        }

        var counts = new[] { Last, Hourly, Daily, Weekly, Monthly, Yearly }.Select(o => (o.Name, Value: parse.GetValue(o))).ToList();
        if (counts.FirstOrDefault(c => c.Value < 0) is { Name: { } bad })
        {
            throw new UsageException($"{bad} must not be negative");
        }

        var policy = new RetentionPolicy
        {
            Last = counts[0].Value, Hourly = counts[1].Value, Daily = counts[2].Value, Weekly = counts[3].Value, Monthly = counts[4].Value, Yearly = counts[5].Value,
            Within = parse.GetValue(Within) is { } w ? KeepDuration.Parse(w) : null,
            Tags = parse.GetValue(KeepTags) ?? [],
        };
        var dryRun = parse.GetValue(DryRun);
        var options = new ForgetOptions
        {
            Policy = policy, GroupBy = SnapshotGroupKey.ParseGroupBy(parse.GetValue(GroupByOption) ?? string.Empty), Host = parse.GetValue(Host),
            Tags = parse.GetValue(Tags) ?? [], DryRun = dryRun, AllowEmpty = parse.GetValue(AllowEmpty),
        };
        var pruneOptions = new PruneOptions { MaxUnusedPercent = parse.GetValue(MaxUnused), DryRun = dryRun };
        pruneOptions.Validate();
        if (policy.IsEmpty)
        {
            throw new UsageException("no keep rule given (--keep-last, --keep-hourly, ..., --keep-within, --keep-tag): refusing to remove every snapshot");
        }

        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "forget", cancellationToken);
        var groups = await new ForgetRunner(repository, repositoryLock, options).RunAsync(cancellationToken);
        PruneResult? pruned = null;
        if (parse.GetValue(Prune))
        {
            pruned = await new PruneRunner(repository, repositoryLock, pruneOptions) { Log = output.Info }.RunAsync(cancellationToken);
        }

        if (output.Json)
        {
            output.Document(
                new ForgetJson(dryRun, groups.Select(ForgetGroupJson.Of), groups.Sum(g => g.Kept.Count()), groups.Sum(g => g.Removed.Count()), pruned),
                CliJsonContext.Relaxed.ForgetJson);
        }
        else
        {
            MaintenanceReport.Forget(output, groups, dryRun);
            if (pruned is not null)
            {
                MaintenanceReport.Prune(output, pruned);
            }
        }

        return (int)ExitCode.Ok;
    }

}

/// <summary><c>forget --json</c>: each group's kept and removed snapshots, the totals, and prune's result with --prune.</summary>
internal sealed record ForgetJson(bool DryRun, IEnumerable<ForgetGroupJson> Groups, int Kept, int Removed, PruneResult? Prune);

/// <summary>One group of snapshots forget decided on: its key, the snapshots kept (and which rules keep them), those removed.</summary>
internal sealed record ForgetGroupJson(string? Host, string[]? Paths, string[]? Tags, IEnumerable<KeptSnapshotJson> Keep, IEnumerable<RemovedSnapshotJson> Remove)
{
    public static ForgetGroupJson Of(ForgetGroup g) => new(
        Host: g.Key.Host,
        Paths: g.Key.Paths?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        Tags: g.Key.Tags?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        Keep: g.Kept.Select(d => new KeptSnapshotJson(d.Candidate.Id, d.Candidate.Time, d.Candidate.Complete, d.Reasons)),
        Remove: g.Removed.Select(d => new RemovedSnapshotJson(d.Candidate.Id, d.Candidate.Time, d.Candidate.Complete)));
}

/// <summary>A snapshot forget keeps, with the rules that keep it.</summary>
internal sealed record KeptSnapshotJson(string Id, DateTimeOffset Time, bool Complete, IReadOnlyList<string> Reasons);

/// <summary>A snapshot forget removes (or would remove).</summary>
internal sealed record RemovedSnapshotJson(string Id, DateTimeOffset Time, bool Complete);
