using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Repository;

/// <summary>
/// An <see cref="ObjectId"/> in the repository's JSON: 64 lower-case hex digits, as before it was typed. Anything
/// else (upper case, another length, a number, null) is a <see cref="JsonException"/>, which the document's reader
/// reports as a corrupt object naming it.
/// </summary>
public sealed class ObjectIdJsonConverter : JsonConverter<ObjectId>
{
    public override ObjectId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"an id must be a string of 64 lower-case hex digits, not {reader.TokenType}");
        }

        var hex = reader.GetString();
        if (hex is null || !IsLowerHex(hex) || !ObjectId.TryParse(hex, out var id))
        {
            throw new JsonException($"'{Shorten(hex)}' is not an id of 64 lower-case hex digits");
        }

        return id;
    }

    public override void Write(Utf8JsonWriter writer, ObjectId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    private static bool IsLowerHex(string hex) => hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 80 ? text : text[..80] + "...";
}
