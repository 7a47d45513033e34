using YamlDotNet.Core;

namespace Stackvault.Configuration;

/// <summary>
/// Loads stackvault.yaml into a <see cref="StackvaultConfig"/>, checking everything and reporting every problem at
/// once, each with its YAML path, line and column. Secrets are not read here (see <see cref="SecretValue"/>).
/// </summary>
public static class ConfigLoader
{
    internal static readonly string[] TopLevelKeys = ["version", "repositories", "components", "jobs", "notifications", "failsafe"];

    /// <summary>Loads a file; a missing or unreadable file is one problem at line 0.</summary>
    public static ConfigLoadResult Load(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigProblem(string.Empty, 0, 0, $"cannot read {path}: {e.Message}")]);
        }

        return LoadFromText(text, path, environment);
    }

    /// <param name="text">The YAML.</param>
    /// <param name="sourceName">A name for the text (the file path), kept in <see cref="StackvaultConfig.SourceName"/>.</param>
    /// <param name="environment">Looks up environment overrides; default: the process environment.</param>
    public static ConfigLoadResult LoadFromText(string text, string sourceName, Func<string, string?>? environment = null)
    {
        var reader = new ConfigReader(environment ?? Environment.GetEnvironmentVariable);
        YNode? root;
        try
        {
            root = YamlTree.Parse(text);
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages describe the syntax, not the value; strip its "(Line: .., Col: ..)" prefix.
            // The end mark is where the scanner noticed (a tab's own line, not the mapping's start).
            var message = e.Message.Contains("): ", StringComparison.Ordinal) ? e.Message[(e.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : e.Message;
            var at = e.End.Line > 0 ? e.End : e.Start;
            return new ConfigLoadResult(null, [new ConfigProblem(string.Empty, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "YAML syntax: " + message)]);
        }

        if (root is null or YScalar { IsNull: true })
        {
            return new ConfigLoadResult(null, [new ConfigProblem(string.Empty, 1, 1, "the configuration is empty")]);
        }

        var map = reader.Mapping(root, string.Empty, TopLevelKeys, "a mapping with repositories, components and jobs");
        if (map is null)
        {
            return new ConfigLoadResult(null, reader.Problems);
        }

        if (reader.String(map, string.Empty, "version") is { } version && version != "1")
        {
            reader.Problem("version", map["version"], "unsupported version: this Stackvault reads version 1");
        }

        var repositories = RepositoryMapper.ReadAll(reader, map["repositories"]);
        var components = ComponentMapper.ReadAll(reader, map["components"]);
        var jobs = JobMapper.ReadAll(reader, map["jobs"], NamedSection.Names(map["repositories"]), NamedSection.Names(map["components"]));
        var notifications = NotificationMapper.ReadAll(reader, map["notifications"], NamedSection.Names(map["jobs"]));
        var failsafe = FailsafeConfig.Read(reader, map["failsafe"]);
        var problems = reader.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
        return problems.Count > 0
            ? new ConfigLoadResult(null, problems)
            : new ConfigLoadResult(new StackvaultConfig(sourceName, repositories, components, jobs) { Notifications = notifications, Failsafe = failsafe }, []);
    }

    /// <summary>
    /// The environment-variable form of a repository or component name: upper case, every character other than
    /// A-Z and 0-9 becomes '_'. <c>my-db</c> gives <c>MY_DB</c>, so <c>STACKVAULT_MY_DB_PASSWORD</c>.
    /// </summary>
    public static string EnvironmentName(string name) =>
        new([.. name.ToUpperInvariant().Select(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) ? c : '_')]);
}
