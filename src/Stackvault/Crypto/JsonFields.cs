using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stackvault.Crypto;

/// <summary>Strict reading of the small JSON documents of this folder; every problem is an InvalidDataException naming the field.</summary>
internal static class JsonFields
{
    /// <summary>Writer options: compact, and base64 '+' or non-ASCII host names written as they are.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonDocument Parse(ReadOnlySpan<byte> utf8Json, string what)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and only fails (InvalidOperationException) when one is read.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            throw new InvalidDataException($"{what} is not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException($"{what} is not a JSON object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{what} is not valid JSON: {ex.Message}", ex);
        }
    }

    public static string GetString(JsonElement obj, string name, string what)
    {
        var value = Get(obj, name, what);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{what}: field '{name}' must be a string");
    }

    public static int GetInt32(JsonElement obj, string name, string what)
    {
        var value = Get(obj, name, what);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new InvalidDataException($"{what}: field '{name}' must be a 32-bit integer");
    }

    public static byte[] GetBase64(JsonElement obj, string name, string what, int minLength, int maxLength = int.MaxValue)
    {
        var value = Get(obj, name, what);
        if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var bytes))
        {
            throw new InvalidDataException($"{what}: field '{name}' must be a base64 string");
        }

        return bytes.Length >= minLength && bytes.Length <= maxLength
            ? bytes
            : throw new InvalidDataException($"{what}: field '{name}' has {bytes.Length} bytes, expected {Range(minLength, maxLength)}");
    }

    private static JsonElement Get(JsonElement obj, string name, string what) =>
        obj.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{what}: field '{name}' is missing");

    private static string Range(int min, int max) => min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
}
