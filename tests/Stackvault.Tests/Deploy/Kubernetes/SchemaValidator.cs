using System.Diagnostics;
using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>
/// Runs tests/k8s-validate/validate.mjs: every YAML document checked against the official Kubernetes schemas
/// (npm kubernetes-models, installed into .build/node by scripts/setup.sh) and the Prometheus Operator CRD schemas.
/// </summary>
internal static class SchemaValidator
{
    public static string NodeModules => Path.Combine(S3rverFixture.RepositoryRoot, ".build", "node", "node_modules");

    /// <summary>The validated documents as (kind, name); fails the test naming each invalid document.</summary>
    public static async Task<IReadOnlyList<(string Kind, string Name)>> ValidateAsync(params string[] files)
    {
        Assert.True(Directory.Exists(Path.Combine(NodeModules, "kubernetes-models")), "kubernetes-models missing: run scripts/setup.sh");
        var (exit, stdout, stderr) = await RunAsync("node", [Path.Combine(S3rverFixture.RepositoryRoot, "tests", "k8s-validate", "validate.mjs"), NodeModules, .. files]);
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var failures = results.Where(r => !r.GetProperty("ok").GetBoolean()).Select(r => r.ToString()).ToList();
        Assert.True(exit == 0 && failures.Count == 0, $"schema validation failed (exit {exit}):\n{string.Join("\n", failures)}\n{stderr}");
        return results.Select(r => (r.GetProperty("kind").GetString()!, r.GetProperty("name").GetString() ?? string.Empty)).ToList();
    }

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
