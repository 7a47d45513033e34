using System.Diagnostics;
using Stackvault.Errors;

namespace Stackvault.Configuration;

/// <summary>
/// A secret from the config (inline, a file, a command, or an environment variable), resolved only when
/// <see cref="Reveal"/> is called, at most once. <see cref="ToString"/> is always <c>***</c>; errors name the
/// source (a file path, a variable name), never the value or a command's output.
/// </summary>
public sealed class SecretValue
{
    private readonly Lazy<string> _value;

    private SecretValue(SecretSourceKind kind, string source, Func<string> resolve)
    {
        Kind = kind;
        Source = source;
        _value = new Lazy<string>(resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SecretSourceKind Kind { get; }

    /// <summary>Where the value comes from, safe to print: <c>inline</c>, <c>file /etc/pw</c>, <c>command</c>, <c>env NAME</c>.</summary>
    public string Source { get; }

    public static SecretValue Inline(string value) => new(SecretSourceKind.Inline, "inline", () => value);

    public static SecretValue FromFile(string path) => new(SecretSourceKind.File, "file " + path, () => ReadFile(path));

    /// <summary>The first line of the command's stdout.</summary>
    public static SecretValue FromCommand(CommandSpec command) => new(SecretSourceKind.Command, "command", () => Run(command));

    public static SecretValue FromEnvironment(string variable, string value) => new(SecretSourceKind.Environment, "env " + variable, () => value);

    /// <summary>Reads the secret (the first resolution reads the file or runs the command).</summary>
    public string Reveal() => _value.Value;

    public override string ToString() => "***";

    private static string ReadFile(string path)
    {
        try
        {
            return FirstLine(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the secret file {path}: {e.GetType().Name}");
        }
    }

    private static string Run(CommandSpec command)
    {
        var start = new ProcessStartInfo(command.Arguments[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command.Arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            process = null;
        }

        using var _ = process;
        if (process is null)
        {
            throw new UsageException("the secret command could not start");
        }

        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        // The command line and its output may hold the secret: name only the exit code.
        return process.ExitCode == 0
            ? FirstLine(output)
            : throw new UsageException($"the secret command exited with code {process.ExitCode}");
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
