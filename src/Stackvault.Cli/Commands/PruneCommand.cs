using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Maintenance;
using Stackvault.Progress;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault prune</c>: removes data no snapshot references, under the exclusive lock.</summary>
internal static class PruneCommand
{
    private static readonly Option<double> MaxUnused = MaxUnusedOption();

    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "Show what would be deleted and repacked; change nothing" };

    /// <summary>A fresh --max-unused option (forget --prune takes one too).</summary>
    public static Option<double> MaxUnusedOption() => new("--max-unused")
    {
        Description = "Tolerated unused share of the kept packs, in percent; above it, partly used packs are repacked (0: repack all)",
        DefaultValueFactory = _ => 5,
    };

    public static Command Create()
    {
        var command = new Command("prune", "Delete data no snapshot references; repack partly used packs above --max-unused") { MaxUnused, DryRun };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var progress = new OperationProgress();
        var options = new PruneOptions { MaxUnusedPercent = parse.GetValue(MaxUnused), DryRun = parse.GetValue(DryRun), Progress = progress };
        options.Validate();
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "prune", cancellationToken);
        PruneResult result;

        // Progress: the bytes of the packs repacked (all of prune's long work); nothing to repack ends at 100 %.
        using (var display = options.DryRun ? null : new ProgressDisplay(output, progress, repository.Time, "prune", items: "packs"))
        {
            result = await new PruneRunner(repository, repositoryLock, options) { Log = output.Info }.RunAsync(cancellationToken);
            progress.Finish();
            display?.Stop();
        }

        if (output.Json)
        {
            output.Line("summary", result, CliJsonContext.Relaxed.PruneResult);
        }
        else
        {
            MaintenanceReport.Prune(output, result);
        }

        return (int)ExitCode.Ok;
    }
}
