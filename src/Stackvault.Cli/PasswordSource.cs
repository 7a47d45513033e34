using System.Diagnostics;
using Stackvault.Errors;

namespace Stackvault.Cli;

/// <summary>
/// Resolves the repository password, in this order: --password-file, STACKVAULT_PASSWORD_FILE,
/// STACKVAULT_PASSWORD_COMMAND, STACKVAULT_PASSWORD. The password is never logged or echoed.
/// </summary>
internal static class PasswordSource
{
    public static string? Resolve(string? passwordFile)
    {
        var file = passwordFile ?? Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD_FILE");
        if (!string.IsNullOrEmpty(file))
        {
            try
            {
                return FirstLine(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read the password file {file}: {e.Message}");
            }
        }

        var command = Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD_COMMAND");
        if (!string.IsNullOrEmpty(command))
        {
            return RunCommand(command);
        }

        return Environment.GetEnvironmentVariable("STACKVAULT_PASSWORD");
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
