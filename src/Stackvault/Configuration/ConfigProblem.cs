namespace Stackvault.Configuration;

/// <summary>
/// One problem in a configuration file: where (a dotted YAML path such as <c>components.prom.url</c>, 1-based line
/// and column) and what. Messages never contain a secret; they name keys, not values.
/// </summary>
public sealed record ConfigProblem(string YamlPath, int Line, int Column, string Message)
{
    /// <summary>The form <c>config validate</c> prints: <c>components.prom.url (line 5): not an absolute http(s) URL</c>.</summary>
    public override string ToString() => $"{(YamlPath.Length == 0 ? "(file)" : YamlPath)} (line {Line}): {Message}";
}
