using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Progress;
using Stackvault.Verify;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault verify</c>: checks the repository's structure, and with --read-data its data.</summary>
internal static class VerifyCommand
{
    private static readonly Option<bool> ReadData = new("--read-data") { Description = "Read and check every pack" };
    private static readonly Option<string?> Subset = new("--read-data-subset") { Description = "Read a subset of the packs: n/t (slice n of t) or P% (random)" };

    public static Command Create()
    {
        var command = new Command("verify", "Verify the repository: structure always, data with --read-data") { ReadData, Subset };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var progress = new OperationProgress();
        var options = new CheckOptions { ReadData = parse.GetValue(ReadData), ReadDataSubset = parse.GetValue(Subset), Progress = progress };
        options.PackSelector();
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "verify", cancellationToken);
        var start = repository.Time.GetTimestamp();
        CheckResult result;
        using (var display = options.ReadsData ? new ProgressDisplay(output, progress, repository.Time, "verify", items: "packs") : null)
        {
            result = await new Checker(repository, options).RunAsync(cancellationToken);
            display?.Stop();
        }

        var elapsed = repository.Time.GetElapsedTime(start);
        if (output.Json)
        {
            output.Line("summary", new VerifySummaryJson(
                Ok: result.Ok,
                Snapshots: result.Snapshots,
                Trees: result.Trees,
                Packs: result.Packs,
                PacksRead: result.PacksRead,
                PacksSelected: result.PacksSelected,
                ReadDataSubset: options.ReadDataSubset,
                BlobsRead: result.BlobsRead,
                BytesRead: result.BytesRead,
                DurationSeconds: elapsed.TotalSeconds,
                Errors: result.Errors.Select(e => new VerifyErrorJson(e.Object, e.Message, e.Snapshots)),
                Warnings: result.Warnings), CliJsonContext.Relaxed.VerifySummaryJson);
        }
        else
        {
            foreach (var warning in result.Warnings)
            {
                output.Warn(warning);
            }

            foreach (var error in result.Errors)
            {
                var needed = error.Snapshots.Count > 0 ? $" (needed by snapshots {string.Join(", ", error.Snapshots)})" : string.Empty;
                output.Result($"error: {error.Object}: {error.Message}{needed}");
            }

            var read = result.PacksRead > 0 ? $", read {result.PacksRead} packs ({Units.Bytes(result.BytesRead)}, {result.BlobsRead} blobs)" : string.Empty;
            if (options.ReadDataSubset is { } subset)
            {
                // Say what the subset covered: a group can be empty on a small repository (restic says so too).
                read = result.PacksSelected == 0
                    ? $", read 0 packs of subset {subset}: this group is empty (all {result.Packs} packs fall in other groups; only the structure was checked)"
                    : $", read {result.PacksRead} of {result.PacksSelected} packs in subset {subset} ({Units.Bytes(result.BytesRead)}, {result.BlobsRead} blobs)";
            }
            output.Result($"{(result.Ok ? "no errors" : $"{result.Errors.Count} errors")}: {result.Snapshots} snapshots, {result.Trees} trees, {result.Packs} packs{read} in {Units.Duration(elapsed)}");
        }

        return (int)(result.Ok ? ExitCode.Ok : ExitCode.Failure);
    }
}

/// <summary>The <c>summary</c> record of <c>verify</c>.</summary>
internal sealed record VerifySummaryJson(
    bool Ok,
    int Snapshots,
    int Trees,
    int Packs,
    int PacksRead,
    int PacksSelected,
    string? ReadDataSubset,
    long BlobsRead,
    long BytesRead,
    double DurationSeconds,
    IEnumerable<VerifyErrorJson> Errors,
    IReadOnlyList<string> Warnings);

/// <summary>An error verify found: the object, what is wrong with it, and the snapshots that need it.</summary>
internal sealed record VerifyErrorJson(string Object, string Message, IReadOnlyList<string> Snapshots);
