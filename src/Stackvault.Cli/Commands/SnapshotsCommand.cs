using System.CommandLine;
using System.Globalization;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault snapshots</c>: lists snapshots, oldest first. <c>--json</c> prints a bare array of snapshots in
/// restic's shape (<c>time, parent, tree, paths, hostname, username, tags, original, program_version, summary, id,
/// short_id</c>, plus Stackvault's <c>status</c>), so scripts written for <c>restic snapshots --json</c> read it;
/// <c>--bucket-groups --json</c> prints the bucket shard groups instead.
/// </summary>
internal static class SnapshotsCommand
{
    private static readonly Option<string?> Host = new("--host") { Description = "Only snapshots of this host" };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Only snapshots with this tag (repeatable: all must match)" };
    private static readonly Option<bool> BucketGroups = new("--bucket-groups") { Description = "With --json: print the bucket shard groups (each bucket's shards and their latest snapshots) instead of the snapshots" };

    public static Command Create()
    {
        var command = new Command("snapshots", "List the snapshots in the repository") { Host, Tags, BucketGroups };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        var host = parse.GetValue(Host);
        var tags = parse.GetValue(Tags) ?? [];
        var list = (await repository.ListSnapshotsAsync(cancellationToken))
            .Where(s => (host is null || s.Snapshot.Hostname == host) && tags.All(t => s.Snapshot.Tags.Contains(t)))
            .ToList();
        if (output.Json)
        {
            if (parse.GetValue(BucketGroups))
            {
                output.Document(BucketShardGroups.Json(list), CliJsonContext.Relaxed.ListBucketShardGroupJson);
                return (int)ExitCode.Ok;
            }

            output.Document([.. list.Select(s => SnapshotListJson.Of(s.Id, s.Snapshot))], CliJsonContext.Relaxed.ListSnapshotListJson);
            return (int)ExitCode.Ok;
        }

        output.Result(repository.IsEncrypted
            ? $"repository {repository.Config.Id[..10]} (encrypted: {repository.Config.Encryption})"
            : $"repository {repository.Config.Id[..10]} (NOT ENCRYPTED)");
        output.Result($"{"ID",-10}{"Time",-21}{"Host",-16}{"Status",-10}{"Size",12}  Tags / Paths");
        foreach (var (id, s) in list)
        {
            var size = s.Summary is null ? "?" : Units.Bytes(s.Summary.TotalBytesProcessed);
            var time = s.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            output.Result($"{id.ToShortString(),-10}{time,-21}{Truncate(s.Hostname, 15),-16}{s.Status.Name(),-10}{size,12}  {string.Join(',', s.Tags)} {string.Join(' ', s.Paths)}".TrimEnd());
        }

        output.Result($"{list.Count} snapshots");
        BucketShardGroups.Write(output, list);
        return (int)ExitCode.Ok;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "~";
}

/// <summary>
/// One snapshot of <c>snapshots --json</c>, in restic's shape (its fields in restic's order) plus Stackvault's
/// <c>status</c>.
/// </summary>
internal sealed record SnapshotListJson(
    DateTimeOffset Time,
    ObjectId? Parent,
    ObjectId Tree,
    List<string> Paths,
    string Hostname,
    string Username,
    List<string> Tags,
    ObjectId? Original,
    string ProgramVersion,
    SnapshotSummary? Summary,
    string Id,
    string ShortId,
    SnapshotStatus Status)
{
    public static SnapshotListJson Of(ObjectId id, Snapshot snapshot) => new(
        Time: snapshot.Time,
        Parent: snapshot.Parent,
        Tree: snapshot.Tree,
        Paths: snapshot.Paths,
        Hostname: snapshot.Hostname,
        Username: snapshot.Username,
        Tags: snapshot.Tags,
        Original: snapshot.Original,
        ProgramVersion: snapshot.ProgramVersion,
        Summary: snapshot.Summary,
        Id: id.ToString(),
        ShortId: id.ToShortString(),
        Status: snapshot.Status);
}
