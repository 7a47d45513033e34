using System.Diagnostics;
using Stackvault.Errors;

namespace Stackvault.Cli;

/// <summary>
/// Resolves the repository password, in this order: --password-file, STACKVAULT_PASSWORD_FILE,
/// STACKVAULT_PASSWORD_COMMAND, STACKVAULT_PASSWORD. The password is never logged or echoed.
/// </summary>
internal static class PasswordSource
{
    public static string? Resolve(string? passwordFile) =>
        FileOf(passwordFile) is { } file ? ReadFile(file)
        : CommandOf() is { } command ? RunCommand(command)
        : Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD");

    /// <summary>
    /// The password <see cref="Resolve"/> would give when it needs no command run: from the file or STACKVAULT_PASSWORD;
    /// null when STACKVAULT_PASSWORD_COMMAND would be run, when there is none, or when the file cannot be read.
    /// </summary>
    public static string? ResolveWithoutCommand(string? passwordFile)
    {
        try
        {
            return FileOf(passwordFile) is { } file ? ReadFile(file)
                : CommandOf() is null ? Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD")
                : null;
        }
        catch (UsageException)
        {
            return null;
        }
    }

    private static string? FileOf(string? passwordFile) => NonEmpty(passwordFile ?? Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD_FILE"));

    private static string? CommandOf() => NonEmpty(Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD_COMMAND"));

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>The password file read so far and its password: a file is read once per run, so a pipe (`--password-file
    /// &lt;(vault read ...)`, /dev/stdin) read early for the key derivation still gives its password to the command.</summary>
    private static (string File, string Password)? _read;

    private static string ReadFile(string file)
    {
        if (_read is { } read && read.File == file)
        {
            return read.Password;
        }

        try
        {
            var password = FirstLine(File.ReadAllText(file));
            _read = (file, password);
            return password;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the password file {file}: {e.Message}");
        }
    }

    /// <summary>The new password of <c>key add</c>/<c>key passwd</c>: --new-password-file, then STACKVAULT_NEW_PASSWORD.</summary>
    public static string ResolveNew(string? newPasswordFile)
    {
        string? password;
        if (!string.IsNullOrEmpty(newPasswordFile))
        {
            try
            {
                password = FirstLine(File.ReadAllText(newPasswordFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read the new password file {newPasswordFile}: {e.Message}");
            }
        }
        else
        {
            password = Environment.GetEnvironmentVariable("STACKVAULT_NEW_PASSWORD");
        }

        return string.IsNullOrEmpty(password)
            ? throw new UsageException("no new password given: use --new-password-file FILE or set STACKVAULT_NEW_PASSWORD")
            : password;
    }

    private static string RunCommand(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new UsageException("STACKVAULT_PASSWORD_COMMAND could not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // The command line may hold a secret: name only its exit code.
            throw new UsageException($"STACKVAULT_PASSWORD_COMMAND exited with code {process.ExitCode}");
        }

        return FirstLine(output);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
