using System.Text.Json;

namespace Stackvault.Tests.Support;

/// <summary>What a CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The JSON Lines record of the given message_type (the last one).</summary>
    public JsonElement Message(string messageType) =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Last(e => e.TryGetProperty("message_type", out var t) && t.GetString() == messageType);

    /// <summary>
    /// The result document: the whole stdout when it is one document, else (JSON Lines: a long operation's `status`
    /// lines before its result) the `summary` record.
    /// </summary>
    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(Stdout).RootElement;
        }
        catch (JsonException) when (Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1)
        {
            return Message("summary");
        }
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
