using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Cli.Output;

/// <summary>
/// Writes a plain tree (the effective config of <c>config show</c>, a generated Kubernetes object): maps with string
/// keys, lists, strings, numbers, booleans and nulls, as the reflection serializer wrote them (keys as given, null
/// values kept), without reflection. A value of any other type is refused (nothing the trees hold today), since it
/// could only be written by reflection.
/// </summary>
internal sealed class PlainTreeJsonConverter : JsonConverter<Dictionary<string, object?>>
{
    public override Dictionary<string, object?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a plain tree is only written");

    public override void Write(Utf8JsonWriter writer, Dictionary<string, object?> value, JsonSerializerOptions options) => WriteValue(writer, value);

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (Stackvault.Telemetry.JsonScalar.TryWrite(writer, value))
        {
            return;
        }

        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(entry.Key as string ?? throw new NotSupportedException($"a plain tree has a key of type {entry.Key.GetType()}, not a string"));
                    WriteValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"a plain tree holds a {value!.GetType()}: only maps, lists, strings, numbers, booleans and nulls are written");
        }
    }
}
