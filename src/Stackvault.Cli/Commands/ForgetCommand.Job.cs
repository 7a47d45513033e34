using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Aftercare;
using Stackvault.Locking;
using Stackvault.Maintenance;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault forget --job NAME [--config F] [--dry-run] [--prune]</c>: the job's retention in each of its
/// repositories, the way the daemon applies it after a run: its own repository, then every <c>copy_to</c> tier, each
/// with its own retention (<see cref="TierRetention"/>), saying per tier which rule keeps each snapshot.
/// </summary>
internal static partial class ForgetCommand
{
    private static readonly Option<string?> JobOption = new("--job") { Description = "Apply a job's retention from stackvault.yaml in its repository and in each copy_to tier (each with its own retention); no --keep-* rules then" };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file (with --job). Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };

    private static async Task<int> RunJobAsync(ParseResult parse, CliOutput output, string jobName, CancellationToken cancellationToken)
    {
        var manual = new Option[] { Last, Hourly, Daily, Weekly, Monthly, Yearly, Within, KeepTags, GroupByOption, Host, Tags, AllowEmpty }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
        if (manual is not null)
        {
            throw new UsageException($"forget --job applies the retention of stackvault.yaml: {manual.Name} cannot be combined with it");
        }

        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));
        var job = config.Jobs.GetValueOrDefault(jobName)
            ?? throw new UsageException($"{path}: there is no job {jobName}; jobs: {string.Join(", ", config.Jobs.Keys)}");
        var dryRun = parse.GetValue(DryRun);
        var pruneOptions = new PruneOptions { MaxUnusedPercent = parse.GetValue(MaxUnused), DryRun = dryRun };
        pruneOptions.Validate();
        var results = new List<ForgetTierJson>();
        foreach (var tier in TierRetention.All(config, job))
        {
            // a tier that cannot be opened (other than an absent local drive) or locked fails the command (exit 1, 10, 11, 12)
            results.Add(await TierAsync(parse, output, config, job, tier, dryRun, parse.GetValue(Prune) ? pruneOptions : null, cancellationToken));
        }

        if (output.Json)
        {
            output.Document(new ForgetJobJson(dryRun, job.Name, results), CliJsonContext.Relaxed.ForgetJobJson);
        }

        return (int)ExitCode.Ok;
    }

    private static async Task<ForgetTierJson> TierAsync(
        ParseResult parse, CliOutput output, StackvaultConfig config, JobConfig job, TierRetention tier, bool dryRun, PruneOptions? prune, CancellationToken cancellationToken)
    {
        var role = tier.Repository == job.Repository ? "repository" : "tier";
        var header = $"{role} {tier.Repository} ({tier})";
        if (tier.Retention is null)
        {
            output.Result($"{header}: nothing removed");
            return new ForgetTierJson(tier.Repository, role, Policy: null, Skipped: "no retention configured");
        }

        var policy = JobRetention.PolicyOf(tier.Retention);
        var entry = config.Repositories[tier.Repository];
        Repository.Repository repository;
        try
        {
            repository = await JobBackup.OpenConfiguredAsync(parse, entry, cancellationToken);
        }
        catch (Exception e) when (role == "tier" && e is RepositoryNotFoundException or DirectoryNotFoundException)
        {
            output.Warn($"{header}: skipped: {entry.Url} is not present ({e.Message})");
            return new ForgetTierJson(tier.Repository, role, tier.ToString(), Skipped: e.Message);
        }

        await using (repository)
        {
            await using var exclusive = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "forget", cancellationToken);
            var groups = await JobAftercare.ForgetAsync(repository, exclusive, job.Name, policy, protect: null, dryRun, cancellationToken);
            PruneResult? pruned = null;
            if (prune is not null && (dryRun || groups.Any(g => g.Removed.Any())))
            {
                pruned = await JobAftercare.PruneAsync(repository, exclusive, prune, cancellationToken);
            }

            if (!output.Json)
            {
                output.Result(header + ":");
                MaintenanceReport.Forget(output, groups, dryRun);
                if (pruned is not null)
                {
                    MaintenanceReport.Prune(output, pruned);
                }
            }

            return new ForgetTierJson(
                tier.Repository, role, tier.ToString(), Source: tier.Source, Groups: groups.Select(ForgetGroupJson.Of),
                Kept: groups.Sum(g => g.Kept.Count()), Removed: groups.Sum(g => g.Removed.Count()), Prune: pruned);
        }
    }
}

/// <summary><c>forget --job NAME --json</c>: the job's retention in its repository and in each copy_to tier.</summary>
internal sealed record ForgetJobJson(bool DryRun, string Job, IReadOnlyList<ForgetTierJson> Tiers);

/// <summary>
/// The retention in one repository or tier: skipped (no retention, or a tier that is not present) with why, else its
/// groups, totals and prune's result, as <see cref="ForgetJson"/>. What does not apply is null, so left out.
/// </summary>
internal sealed record ForgetTierJson(
    string Repository,
    string Role,
    string? Policy,
    string? Skipped = null,
    string? Source = null,
    IEnumerable<ForgetGroupJson>? Groups = null,
    int? Kept = null,
    int? Removed = null,
    PruneResult? Prune = null);
