using System.CommandLine;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Storage;

namespace Stackvault.Cli;

/// <summary>Opens the repository a command names, and takes its lock.</summary>
internal static class RepositoryAccess
{
    public static string Location(ParseResult parse) =>
        parse.GetValue(GlobalOptions.Repo) ?? Environment.GetEnvironmentVariable("STACKVAULT_REPOSITORY")
        ?? throw new UsageException("no repository given: use --repo or set STACKVAULT_REPOSITORY");

    public static async ValueTask<Repository.Repository> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var repository = await OpenAsync(Location(parse), () => PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile)), cancellationToken).ConfigureAwait(false);
        repository.Warn = Program.Output(parse).Warn;
        foreach (var warning in repository.OpenWarnings)
        {
            repository.Warn(warning + "; opened with another key");
        }

        return repository;
    }

    /// <summary>Opens the repository at <paramref name="location"/>; the password is resolved only once storage opened.</summary>
    public static async ValueTask<Repository.Repository> OpenAsync(string location, Func<string?> resolvePassword, CancellationToken cancellationToken)
    {
        var storage = StorageFactory.Open(location);
        try
        {
            var password = resolvePassword();
            var repository = await Repository.Repository.OpenAsync(storage, password, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            repository.Warn = message => Console.Error.WriteLine("warning: " + message);
            return repository;
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async ValueTask<RepositoryLock> LockAsync(ParseResult parse, Repository.Repository repository, LockKind kind, string operation, CancellationToken cancellationToken)
    {
        var options = new LockOptions { RetryFor = parse.GetValue(GlobalOptions.LockWait) };
        var manager = new LockManager(repository.Storage, options, TimeProvider.System);
        return await manager.AcquireAsync(kind, operation, cancellationToken).ConfigureAwait(false);
    }
}
