using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Copy;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Progress;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault copy --from-repo SRC --repo DST [SNAPSHOT...]</c> (or <c>--config F --from NAME --to NAME</c>):
/// copies the source's snapshots the destination lacks, transferring only blobs the destination does not have.
/// </summary>
internal static class CopyCommand
{
    private static readonly Argument<string[]> Snapshots = new("snapshots") { Description = "Snapshots to copy (ids, prefixes or 'latest'; default: all)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> FromRepo = new("--from-repo") { Description = "The source repository. Default: $STACKVAULT_FROM_REPOSITORY" };
    private static readonly Option<string?> FromPasswordFile = new("--from-password-file") { Description = "Read the source's password from this file. Also: $STACKVAULT_FROM_PASSWORD_FILE, $STACKVAULT_FROM_PASSWORD" };
    private static readonly Option<string?> From = new("--from") { Description = "The source: a repository named in the config file" };
    private static readonly Option<string?> To = new("--to") { Description = "The destination: a repository named in the config file" };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file for --from/--to. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };
    private static readonly Option<string?> Host = new("--host") { Description = "Only snapshots of this host" };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Only snapshots with this tag (repeatable: all must match)" };
    private static readonly Option<bool> Latest = new("--latest") { Description = "Only the newest of the selected snapshots" };

    public static Command Create()
    {
        var command = new Command("copy", "Copy snapshots from another repository into this one, transferring only missing data")
        {
            Snapshots, FromRepo, FromPasswordFile, From, To, ConfigFile, Host, Tags, Latest,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var selection = new CopySelection
        {
            Snapshots = parse.GetValue(Snapshots) ?? [], Host = parse.GetValue(Host), Tags = parse.GetValue(Tags) ?? [], LatestOnly = parse.GetValue(Latest),
        };
        var (sourceLocation, sourcePassword, destinationLocation, destinationPassword) = Endpoints(parse);

        // Both passwords are checked before anything is locked or written.
        await using var source = await RepositoryAccess.OpenAsync(sourceLocation, sourcePassword, cancellationToken);
        await using var destination = await RepositoryAccess.OpenAsync(destinationLocation, destinationPassword, cancellationToken);
        await using var sourceLock = await RepositoryAccess.LockAsync(parse, source, LockKind.Shared, "copy", cancellationToken);
        await using var destinationLock = await RepositoryAccess.LockAsync(parse, destination, LockKind.Shared, "copy", cancellationToken);
        var progress = new OperationProgress();
        var runner = new CopyRunner(source, sourceLock, destination, destinationLock) { Log = output.Info, Progress = progress };
        CopyResult result;
        using (var display = new ProgressDisplay(output, progress, destination.Time, "copy"))
        {
            result = await runner.RunAsync(selection, cancellationToken);
            progress.Finish();
            display.Stop();
        }

        if (output.Json)
        {
            output.Line("summary", new CopySummaryJson(
                Source: source.Storage.Location,
                Destination: destination.Storage.Location,
                Snapshots: result.Snapshots.Select(s => new CopiedSnapshotJson(s.SourceId, s.DestinationId, s.Status, s.Time, s.Hostname, s.Paths)),
                SnapshotsCopied: result.SnapshotsCopied,
                SnapshotsSkipped: result.SnapshotsSkipped,
                DataBlobs: result.DataBlobs,
                TreeBlobs: result.TreeBlobs,
                DataAdded: result.DataAdded,
                DataAddedPacked: result.DataAddedPacked,
                Packs: result.Packs,
                BlobsPresent: result.BlobsPresent,
                BlobsReused: result.BlobsReused), CliJsonContext.Relaxed.CopySummaryJson);
        }
        else
        {
            output.Result($"copied {result.SnapshotsCopied} snapshot(s), skipped {result.SnapshotsSkipped} already in the destination; "
                + $"added {result.DataBlobs} data and {result.TreeBlobs} tree blobs, {Units.Bytes(result.DataAdded)} ({Units.Bytes(result.DataAddedPacked)} stored) in {result.Packs} pack(s)");
        }

        return (int)ExitCode.Ok;
    }

    /// <summary>Source and destination with their password resolvers: --from/--to name config entries, else --from-repo and --repo.</summary>
    private static (string, Func<string?>, string, Func<string?>) Endpoints(ParseResult parse)
    {
        string? FromSecret() => ResolveFromPassword(parse.GetValue(FromPasswordFile));
        string? ToSecret() => PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile));
        var (fromName, toName) = (parse.GetValue(From), parse.GetValue(To));
        if (fromName is not null && parse.GetValue(FromRepo) is not null)
        {
            throw new UsageException("give either --from NAME or --from-repo LOCATION, not both");
        }

        if (toName is not null && parse.GetValue(GlobalOptions.Repo) is not null)
        {
            throw new UsageException("give either --to NAME or --repo LOCATION, not both");
        }

        RepositoryConfigEntry? fromEntry = null, toEntry = null;
        if (fromName is not null || toName is not null)
        {
            var (config, _) = ConfigAccess.Load(parse.GetValue(ConfigFile));

            fromEntry = fromName is null ? null : Entry(config, fromName);
            toEntry = toName is null ? null : Entry(config, toName);
        }

        var sourceLocation = fromEntry?.Url ?? parse.GetValue(FromRepo) ?? Environment.GetEnvironmentVariable("STACKVAULT_FROM_REPOSITORY")
            ?? throw new UsageException("no source repository given: use --from-repo, --from NAME or set STACKVAULT_FROM_REPOSITORY");
        var destinationLocation = toEntry?.Url ?? RepositoryAccess.Location(parse);
        return (sourceLocation, () => fromEntry?.Password?.Reveal() ?? FromSecret(), destinationLocation, () => toEntry?.Password?.Reveal() ?? ToSecret());
    }

    private static RepositoryConfigEntry Entry(StackvaultConfig config, string name) =>
        config.Repositories.TryGetValue(name, out var entry)
            ? entry
            : throw new UsageException($"no repository named '{name}' in {config.SourceName}; repositories: {string.Join(", ", config.Repositories.Keys)}");

    /// <summary>The source's password: --from-password-file, then $STACKVAULT_FROM_PASSWORD_FILE, then $STACKVAULT_FROM_PASSWORD.</summary>
    private static string? ResolveFromPassword(string? file)
    {
        file ??= Environment.GetEnvironmentVariable("STACKVAULT_FROM_PASSWORD_FILE");
        if (string.IsNullOrEmpty(file))
        {
            return Environment.GetEnvironmentVariable("STACKVAULT_FROM_PASSWORD");
        }

        try
        {
            var text = File.ReadAllText(file);
            var end = text.IndexOfAny(['\r', '\n']);
            return end < 0 ? text : text[..end];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the source password file {file}: {e.Message}");
        }
    }
}

/// <summary>The <c>summary</c> record of <c>copy</c>.</summary>
internal sealed record CopySummaryJson(
    string Source,
    string Destination,
    IEnumerable<CopiedSnapshotJson> Snapshots,
    int SnapshotsCopied,
    int SnapshotsSkipped,
    long DataBlobs,
    long TreeBlobs,
    long DataAdded,
    long DataAddedPacked,
    long Packs,
    long BlobsPresent,
    long BlobsReused);

/// <summary>A snapshot of the source: copied (with its id in the destination) or skipped as already there.</summary>
internal sealed record CopiedSnapshotJson(string SourceId, string DestinationId, string Status, DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths);
