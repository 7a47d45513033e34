using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Stackvault.Cli.Output;
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
            output.Document(
                new KeyListJson(keys.Select(k => new KeyJson(
                    Id: k.Id,
                    ShortId: k.ShortId,
                    Current: k.IsCurrent,
                    Created: k.Info?.Created,
                    Hostname: k.Info?.Hostname,
                    Username: k.Info?.Username,
                    Kdf: k.Info?.Kdf,
                    Iterations: k.Info?.Iterations,
                    Error: k.Error))),
                CliJsonContext.Relaxed.KeyListJson);
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
        Report(output, "key_added", $"added key {added.Name[..8]}", new KeyAddedJson(added.Name), CliJsonContext.Relaxed.KeyAddedJson);
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

        Report(output, "key_removed", $"removed key {removed.ShortId}", new KeyRemovedJson(removed.Id, removed.IsCurrent), CliJsonContext.Relaxed.KeyRemovedJson);
        return (int)ExitCode.Ok;
    }

    private static async Task<int> PasswdAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var newPassword = PasswordSource.ResolveNew(parse.GetValue(NewPasswordFile));
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Exclusive, "key passwd", cancellationToken);
        var (added, removed) = await new KeyManager(repository).ChangePasswordAsync(newPassword, Options(parse), cancellationToken);
        var text = $"password changed: added key {added.Name[..8]}, removed key {removed.ShortId}";
        Report(output, "password_changed", text, new PasswordChangedJson(added.Name, removed.Id), CliJsonContext.Relaxed.PasswordChangedJson);
        return (int)ExitCode.Ok;
    }

    private static KeyFileOptions Options(ParseResult parse) => new() { Iterations = Commands.KdfIterations.Get(parse, KdfIterations) };

    private static void Report<T>(Output.CliOutput output, string messageType, string text, T json, JsonTypeInfo<T> type)
    {
        if (output.Json)
        {
            output.Line(messageType, json, type);
        }
        else
        {
            output.Result(text);
        }
    }
}

/// <summary><c>key list --json</c>.</summary>
internal sealed record KeyListJson(IEnumerable<KeyJson> Keys);

/// <summary>A key: its id, whether the given password opened it, and its key file's details (or why it is invalid).</summary>
internal sealed record KeyJson(
    string Id,
    string ShortId,
    bool Current,
    DateTimeOffset? Created,
    string? Hostname,
    string? Username,
    string? Kdf,
    int? Iterations,
    string? Error);

/// <summary>The <c>key_added</c> record.</summary>
internal sealed record KeyAddedJson(string Id);

/// <summary>The <c>key_removed</c> record.</summary>
internal sealed record KeyRemovedJson(string Id, bool WasCurrent);

/// <summary>The <c>password_changed</c> record: the key added and the key removed.</summary>
internal sealed record PasswordChangedJson(string Added, string Removed);
