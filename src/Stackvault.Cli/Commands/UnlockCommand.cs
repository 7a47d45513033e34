using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Storage;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault unlock</c>: removes stale locks only: those of dead processes of this host at once, those of other
/// hosts after watching them unchanged for their lease. <c>--remove-all --yes</c> removes every lock.
/// </summary>
internal static class UnlockCommand
{
    private static readonly Option<bool> RemoveAll = new("--remove-all") { Description = "Remove every lock, even live ones (needs --yes; a live holder loses its lock and stops)" };
    private static readonly Option<bool> Yes = new("--yes") { Description = "Confirm --remove-all" };

    public static Command Create()
    {
        var command = new Command("unlock", "Remove stale locks (dead local processes; other hosts' locks after watching them for their lease)") { RemoveAll, Yes };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var removeAll = parse.GetValue(RemoveAll);
        if (removeAll && !parse.GetValue(Yes))
        {
            throw new UsageException("unlock --remove-all removes live locks too: add --yes to confirm");
        }

        var storage = StorageFactory.Open(RepositoryAccess.Location(parse));
        await using var _ = storage;
        if (!await storage.RepositoryExistsAsync(cancellationToken))
        {
            throw new RepositoryNotFoundException(storage.Location);
        }

        var manager = new LockManager(storage, new LockOptions(), TimeProvider.System);
        IReadOnlyList<string> removed;
        if (removeAll)
        {
            removed = [.. (await manager.RemoveAllAsync(cancellationToken)).Select(h => h.Name)];
        }
        else
        {
            var watched = new List<LockInfo>();
            await foreach (var info in manager.ListAsync(cancellationToken))
            {
                if (info.State is LockState.Remote or LockState.PossiblyStale or LockState.Unreadable or LockState.Incomplete)
                {
                    watched.Add(info);
                }
            }

            if (watched.Count > 0)
            {
                output.Info($"watching {watched.Count} lock(s) of other hosts: each is removed only if it stays unchanged for its lease");
            }

            removed = [.. (await manager.RemoveStaleAsync(cancellationToken)).Select(i => i.Handle.Name)];
        }

        var remaining = new List<LockInfo>();
        await foreach (var info in manager.ListAsync(cancellationToken))
        {
            remaining.Add(info);
        }

        if (output.Json)
        {
            output.Document(
                new UnlockJson(removed, remaining.Select(i => new LockJson(i.Handle.Name, i.State.ToString().ToLowerInvariant(), i.Describe()))),
                CliJsonContext.Relaxed.UnlockJson);
        }
        else
        {
            output.Result($"removed {removed.Count} lock(s)" + (removed.Count > 0 ? ": " + string.Join(", ", removed.Select(n => n[..8])) : string.Empty));
            foreach (var info in remaining)
            {
                output.Result("still locked: " + info.Describe());
            }
        }

        return (int)ExitCode.Ok;
    }
}

/// <summary><c>unlock --json</c>: the locks removed, and those still there.</summary>
internal sealed record UnlockJson(IReadOnlyList<string> Removed, IEnumerable<LockJson> Remaining);

/// <summary>A lock still there after unlock.</summary>
internal sealed record LockJson(string Id, string State, string Description);
