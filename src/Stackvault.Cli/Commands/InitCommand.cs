using System.CommandLine;
using Stackvault.Chunking;
using Stackvault.Cli.Output;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault init</c>: creates a repository.</summary>
internal static class InitCommand
{
    private static readonly Option<bool> NoEncryption = new("--no-encryption") { Description = "Store data unencrypted (snapshots says so)" };
    private static readonly Option<int> Level = new("--compression-level") { Description = "zstd level, -7..22 (default 2)", DefaultValueFactory = _ => RepositoryInitOptions.DefaultCompressionLevel };
    private static readonly Option<int> PackSizeMiB = new("--pack-size") { Description = "Target pack size in MiB", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> KdfIterations = Commands.KdfIterations.Create("PBKDF2-SHA256 iterations for the key (at least 100000; lower only in test suites)");
    private static readonly Option<string> Hash = CreateHash();
    private static readonly Option<string?> Chunker = new("--chunker") { Description = "min,avg,max chunk sizes in bytes (testing)", Hidden = true };

    public static Command Create()
    {
        var command = new Command("init", "Create a new repository") { NoEncryption, Level, PackSizeMiB, Hash, KdfIterations, Chunker };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var location = RepositoryAccess.Location(parse);
        var encrypted = !parse.GetValue(NoEncryption);
        var kdfIterations = Commands.KdfIterations.Get(parse, KdfIterations);
        var password = encrypted ? PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile)) : null;
        var chunker = ChunkerParameters.Default;
        if (parse.GetValue(Chunker) is { } text)
        {
            var parts = text.Split(',').Select(int.Parse).ToArray();
            chunker = new ChunkerParameters(parts[0], parts[1], parts[2]);
        }

        var options = new RepositoryInitOptions
        {
            Encrypted = encrypted,
            Password = password,
            CompressionLevel = parse.GetValue(Level),
            PackSize = checked(parse.GetValue(PackSizeMiB) * 1024 * 1024),
            KdfIterations = kdfIterations,
            Chunker = chunker,
            Hash = ContentHash.Named(parse.GetValue(Hash)),
        };
        await using var storage = StorageFactory.Open(location);
        await using var repository = await Repository.Repository.InitAsync(storage, options, TimeProvider.System, cancellationToken);
        if (output.Json)
        {
            output.Document(
                new InitJson("initialized", repository.Config.Id, location, repository.Config.Encryption, repository.Hash.Name),
                CliJsonContext.Relaxed.InitJson);
        }
        else
        {
            output.Result($"created stackvault repository {repository.Config.Id[..10]} at {location}");
            output.Info(encrypted
                ? "the password is the only way to read this repository: losing it means losing the data"
                : "this repository is NOT encrypted: anyone who can read it can read the backups");
        }

        return (int)ExitCode.Ok;
    }

    private static Option<string> CreateHash()
    {
        var option = new Option<string>("--hash")
        {
            Description = "Hash of blob ids and pack names: blake3 (default), or sha256 (readable by builds before config version 3)",
            DefaultValueFactory = _ => ContentHash.Blake3Name,
        };
        option.AcceptOnlyFromAmong(ContentHash.Blake3Name, ContentHash.Sha256Name);
        return option;
    }
}

/// <summary><c>init --json</c>: one record (with a message_type, as restic's) naming the new repository.</summary>
internal sealed record InitJson(string MessageType, string Id, string Repository, string Encryption, string Hash);
