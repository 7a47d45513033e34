using System.Text.Json;

namespace Stackvault.Telemetry;

/// <summary>
/// Writes the plain scalars of a loosely typed value (null, strings, booleans, every numeric primitive) with a
/// <see cref="Utf8JsonWriter"/>, as the reflection serializer wrote them, for the writers that take trees of
/// <c>object</c> without reflection (log records, the CLI's plain trees). What else a value may be is the caller's.
/// </summary>
public static class JsonScalar
{
    /// <summary>Writes <paramref name="value"/> and returns true when it is one of the plain scalars; else writes nothing.</summary>
    public static bool TryWrite(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return true;
            case string text:
                writer.WriteStringValue(text);
                return true;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return true;
            case int number:
                writer.WriteNumberValue(number);
                return true;
            case long number:
                writer.WriteNumberValue(number);
                return true;
            case double number:
                writer.WriteNumberValue(number);
                return true;
            case float number:
                writer.WriteNumberValue(number);
                return true;
            case decimal number:
                writer.WriteNumberValue(number);
                return true;
            case uint number:
                writer.WriteNumberValue(number);
                return true;
            case ulong number:
                writer.WriteNumberValue(number);
                return true;
            case short number:
                writer.WriteNumberValue(number);
                return true;
            case ushort number:
                writer.WriteNumberValue(number);
                return true;
            case byte number:
                writer.WriteNumberValue(number);
                return true;
            case sbyte number:
                writer.WriteNumberValue(number);
                return true;
            default:
                return false;
        }
    }
}
