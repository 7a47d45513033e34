using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Stackvault.Cli.Output;

/// <summary>
/// Where output goes: results to stdout (JSON with --json), people's text and progress to stderr. Secrets never
/// pass through here: commands hand over only ids, paths, counts and messages.
/// JSON is written only by source-generated metadata (NativeAOT- and trim-safe): every document and record comes
/// with its <see cref="JsonTypeInfo{T}"/> from <see cref="CliJsonContext.Relaxed"/>.
/// </summary>
internal sealed class CliOutput(bool json, bool quiet)
{
    /// <summary>The options of all --json output: snake_case names, nulls left out, the relaxed encoder.</summary>
    public static JsonSerializerOptions JsonOptions => CliJsonContext.Relaxed.Options;

    private readonly Lock _gate = new();

    public bool Json => json;

    public bool Quiet => quiet;

    /// <summary>Progress is drawn only for people, on a terminal.</summary>
    public bool ShowProgress => !json && !quiet && !Console.IsErrorRedirected;

    /// <summary>A line for people (stderr), suppressed by --quiet and --json.</summary>
    public void Info(string message)
    {
        if (!quiet && !json)
        {
            WriteError(message);
        }
    }

    public void Warn(string message)
    {
        if (json)
        {
            Line("warning", new MessageJson(message), CliJsonContext.Relaxed.MessageJson);
        }
        else
        {
            WriteError("warning: " + message);
        }
    }

    /// <summary>A result line for people on stdout (tables, listings).</summary>
    public void Result(string text)
    {
        lock (_gate)
        {
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>One JSON document on stdout.</summary>
    public void Document<T>(T value, JsonTypeInfo<T> type)
    {
        var text = JsonSerializer.Serialize(value, Checked(type));
        lock (_gate)
        {
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>One JSON Lines record with a message_type: message_type first, then the properties of <paramref name="value"/>.</summary>
    public void Line<T>(string messageType, T value, JsonTypeInfo<T> type) => Document(Record(messageType, value, type), CliJsonContext.Relaxed.DictionaryStringJsonElement);

    /// <summary>A JSON Lines record on stderr, for a command whose stdout carries data (an export to stdout).</summary>
    public void LineToStderr<T>(string messageType, T value, JsonTypeInfo<T> type) =>
        WriteError(JsonSerializer.Serialize(Record(messageType, value, type), CliJsonContext.Relaxed.DictionaryStringJsonElement));

    private static Dictionary<string, JsonElement> Record<T>(string messageType, T value, JsonTypeInfo<T> type)
    {
        var element = JsonSerializer.SerializeToElement(value, Checked(type));
        var merged = new Dictionary<string, JsonElement> { ["message_type"] = JsonSerializer.SerializeToElement(messageType, CliJsonContext.Relaxed.String) };
        foreach (var property in element.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        return merged;
    }

    /// <summary>
    /// Type information of <see cref="CliJsonContext.Relaxed"/> only: that of <see cref="CliJsonContext.Default"/> would
    /// escape non-ASCII text and HTML characters (\u00E9, \u003C) where the output has always had them as they are.
    /// </summary>
    private static JsonTypeInfo<T> Checked<T>(JsonTypeInfo<T> type) =>
        ReferenceEquals(type.Options, JsonOptions)
            ? type
            : throw new ArgumentException($"the JSON type information of {typeof(T).Name} must come from CliJsonContext.Relaxed", nameof(type));

    public void Error(string message)
    {
        if (json)
        {
            Line("error", new MessageJson(message), CliJsonContext.Relaxed.MessageJson);
        }

        WriteError("stackvault: " + message);
    }

    private void WriteError(string message)
    {
        lock (_gate)
        {
            Console.Error.WriteLine(message);
        }
    }
}

/// <summary>A <c>warning</c> or <c>error</c> record of --json output.</summary>
internal sealed record MessageJson(string Message);
