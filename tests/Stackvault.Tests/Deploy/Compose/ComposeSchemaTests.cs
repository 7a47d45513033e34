using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Compose;

/// <summary>
/// deploy/compose/compose.yaml against the official Compose Specification schema, through
/// tests/compose-validate/validate.mjs (compose-spec's compose_spec.json as shipped by npm dclint).
/// </summary>
public class ComposeSchemaTests
{
    private static string Directory => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "compose");

    [Fact]
    public async Task Compose_File_PassesTheComposeSpecificationSchema()
    {
        var results = await ValidateAsync(Path.Combine(Directory, "compose.yaml"));

        Assert.True(results.Exit == 0, results.Stdout + results.Stderr);
        Assert.Contains("\"ok\":true", results.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeSchema_MisspelledKeyAndWrongType_Rejected()
    {
        using var temp = new TempDirectory();
        var file = temp.Sub("compose.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(Directory, "compose.yaml"))
            .Replace("    read_only: true", "    readonly: true", StringComparison.Ordinal)
            .Replace("      interval: 1m", "      interval: 60", StringComparison.Ordinal));

        var results = await ValidateAsync(file);

        Assert.Equal(1, results.Exit);
        Assert.Contains("/services/stackvault must NOT have additional properties: readonly", results.Stdout, StringComparison.Ordinal);
        Assert.Contains("/services/stackvault/healthcheck/interval must be string", results.Stdout, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> ValidateAsync(string file)
    {
        var modules = Kubernetes.SchemaValidator.NodeModules;
        Assert.True(System.IO.Directory.Exists(Path.Combine(modules, "dclint")), "dclint (the Compose schema) missing: run scripts/setup.sh");
        return Kubernetes.SchemaValidator.RunAsync("node", [Path.Combine(S3rverFixture.RepositoryRoot, "tests", "compose-validate", "validate.mjs"), modules, file]);
    }
}
