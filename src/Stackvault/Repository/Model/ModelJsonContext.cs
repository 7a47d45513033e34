using System.Text.Json.Serialization;

namespace Stackvault.Repository.Model;

/// <summary>Source-generated JSON for the repository's documents: snake_case names, defaults and nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Tree))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(RepositoryConfig))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
