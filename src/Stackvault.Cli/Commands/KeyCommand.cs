using System.CommandLine;
using System.Globalization;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Keys;
using Stackvault.Locking;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault key list|add|remove|passwd</c>: the passwords (key files) of an encrypted repository.</summary>
internal static class KeyCommand
{
    private static readonly Option<string?> NewPasswordFile = new("--new-password-file") { Description = "Read the new password from this file (first line). Also: $STACKVAULT_NEW_PASSWORD" };
    private static readonly Option<int> KdfIterations = Commands.KdfIterations.Create("PBKDF2-SHA256 iterations for the new key (at least 100000; lower only in test suites)");
    private static readonly Argument<string> KeyId = new("id") { Description = "Key id (at least 4 hex digits, see 'key list')" };

    public static Command Create()
    {
        var list = new Command("list", "List the keys; '*' marks the one the given password opened");
        list.SetAction(ListAsync);
        var add = new Command("add", "Add a password: wrap the master key under a new password") { NewPasswordFile, KdfIterations };
        add.SetAction(AddAsync);
        var remove = new Command("remove", "Remove a key; the last key is never removed") { KeyId };
        remove.SetAction(RemoveAsync);
        var passwd = new Command("passwd", "Change the password: add a key for the new password, then remove the current key") { NewPasswordFile, KdfIterations };
        passwd.SetAction(PasswdAsync);
        return new Command("key", "Manage the repository's passwords (key files)") { list, add, remove, passwd };
    }

    private static async Task<int> ListAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        var keys = await new KeyManager(repository).ListAsync(cancellationToken);
        if (output.Json)
        {
            output.Document(new
            {
                keys = keys.Select(k => new
                {
                    id = k.Id,
                    short_id = k.ShortId,
                    current = k.IsCurrent,
                    created = k.Info?.Created,
                    hostname = k.Info?.Hostname,
                    username = k.Info?.Username,
                    kdf = k.Info?.Kdf,
                    iterations = k.Info?.Iterations,
                    error = k.Error,
                }),
            });
            return (int)ExitCode.Ok;
        }

        output.Result($"  {"ID",-10}{"Created",-21}{"Host",-16}{"User",-12}{"KDF",-15}{"Iterations",10}");
        foreach (var k in keys)
        {
            var mark = k.IsCurrent ? "*" : " ";
            output.Result(k.Info is { } i
                ? $"{mark} {k.ShortId,-10}{i.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-21}{i.Hostname,-16}{i.Username,-12}{i.Kdf,-15}{i.Iterations,10}"
                : $"{mark} {k.ShortId,-10}INVALID: {k.Error}");
        }

        output.Result($"{keys.Count} keys");
        return (int)ExitCode.Ok;
    }

    private static async Task<int> AddAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var newPassword = PasswordSource.ResolveNew(parse.GetValue(NewPasswordFile));
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "key add", cancellationToken);
        var added = await new KeyManager(repository).AddAsync(newPassword, Options(parse), cancellationToken);
        Report(output, "key_added", $"added key {added.Name[..8]}", new { id = added.Name });
        return (int)ExitCode.Ok;
    }

    private static async Task<int> RemoveAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "key remove", cancellationToken);
        var removed = await new KeyManager(repository).RemoveAsync(parse.GetValue(KeyId)!, cancellationToken);
        if (removed.IsCurrent)
        {
            output.Warn($"key {removed.ShortId} was the key this password opened: from now on, open the repository with another key's password");
        }

        Report(output, "key_removed", $"removed key {removed.ShortId}", new { id = removed.Id, was_current = removed.IsCurrent });
        return (int)ExitCode.Ok;
    }

    private static async Task<int> PasswdAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var newPassword = PasswordSource.ResolveNew(parse.GetValue(NewPasswordFile));
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "key passwd", cancellationToken);
        var (added, removed) = await new KeyManager(repository).ChangePasswordAsync(newPassword, Options(parse), cancellationToken);
        Report(output, "password_changed", $"password changed: added key {added.Name[..8]}, removed key {removed.ShortId}", new { added = added.Name, removed = removed.Id });
        return (int)ExitCode.Ok;
    }

    private static KeyFileOptions Options(ParseResult parse) => new() { Iterations = Commands.KdfIterations.Get(parse, KdfIterations) };

    private static void Report(Output.CliOutput output, string messageType, string text, object json)
    {
        if (output.Json)
        {
            output.Line(messageType, json);
        }
        else
        {
            output.Result(text);
        }
    }
}
