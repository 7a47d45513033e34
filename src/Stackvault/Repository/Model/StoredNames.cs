using System.Reflection;
using System.Text.Json.Serialization;

namespace Stackvault.Repository.Model;

/// <summary>
/// The stored spelling of a status enum's member (its <see cref="JsonStringEnumMemberNameAttribute"/>), for text
/// output, logs and metric labels: the attribute is the one place each spelling is written.
/// </summary>
public static class StoredNames<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(
        v => v, v => typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? throw new InvalidOperationException($"{typeof(T).Name}.{v} has no stored name"));

    public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value));
}
