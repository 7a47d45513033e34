using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>A source and a destination repository with different passwords, and the CLI to copy between them.</summary>
internal sealed class CopyPair
{
    public CopyPair(TempDirectory temp, string? destination = null)
    {
        Source = new CliRunner(temp.Sub("source"), "source-password");
        Destination = new CliRunner(destination ?? temp.Sub("destination"), "destination-password");
        Destination.Environment["STACKVAULT_FROM_PASSWORD"] = "source-password";
    }

    public CliRunner Source { get; }

    public CliRunner Destination { get; }

    public async Task InitAsync(bool sourceEncrypted = true, bool destinationEncrypted = true, string sourceHash = "blake3", string destinationHash = "blake3")
    {
        await Source.InitAsync(["--pack-size", "1", "--hash", sourceHash, .. sourceEncrypted ? Array.Empty<string>() : ["--no-encryption"]]);
        await Destination.InitAsync(["--pack-size", "1", "--hash", destinationHash, .. destinationEncrypted ? Array.Empty<string>() : ["--no-encryption"]]);
    }

    /// <summary>Runs <c>copy --from-repo SOURCE --json</c> into the destination; asserts exit 0.</summary>
    public async Task<JsonElement> CopyAsync(params string[] extra) =>
        (await Destination.RunOkAsync(["copy", "--from-repo", Source.Repository, "--json", .. extra])).Json();

    public static async Task<List<JsonElement>> SnapshotsAsync(CliRunner cli) =>
        [.. (await cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray()];

    /// <summary>Total bytes and number of the pack files of a local repository.</summary>
    public static (long Bytes, int Count) Packs(string repository)
    {
        var files = RepositoryFiles.Objects(repository, "data");
        return (files.Sum(f => new FileInfo(f).Length), files.Length);
    }
}
