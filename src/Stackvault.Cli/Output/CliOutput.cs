using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Cli.Output;

/// <summary>
/// Where output goes: results to stdout (JSON with --json), people's text and progress to stderr. Secrets never
/// pass through here: commands hand over only ids, paths, counts and messages.
/// </summary>
internal sealed class CliOutput(bool json, bool quiet)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

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
            Line("warning", new { message });
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
    public void Document(object value)
    {
        lock (_gate)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
    }

    /// <summary>One JSON Lines record with a message_type.</summary>
    public void Line(string messageType, object value) => Document(Record(messageType, value));

    /// <summary>A JSON Lines record on stderr, for a command whose stdout carries data (an export to stdout).</summary>
    public void LineToStderr(string messageType, object value) =>
        WriteError(JsonSerializer.Serialize(Record(messageType, value), JsonOptions));

    private static Dictionary<string, JsonElement> Record(string messageType, object value)
    {
        var element = JsonSerializer.SerializeToElement(value, JsonOptions);
        var merged = new Dictionary<string, JsonElement> { ["message_type"] = JsonSerializer.SerializeToElement(messageType) };
        foreach (var property in element.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        return merged;
    }

    public void Error(string message)
    {
        if (json)
        {
            Line("error", new { message });
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
