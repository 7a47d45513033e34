using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Compose;

/// <summary>
/// deploy/docker/Dockerfile cannot be built here (no container engine): its text is checked for what the image
/// promises (multi-stage, non-root, the tools components call, the CLI as `stackvault`), and its .dockerignore for
/// keeping the host's build outputs out of the SDK stage.
/// </summary>
public class DockerfileTests
{
    private static string DockerDirectory => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "docker");

    [Fact]
    public void Dockerfile_RuntimeStage_NonRootWithTheToolsComponentsCall()
    {
        var lines = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile"));
        var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var runtime = string.Join('\n', lines.Skip(stages[^1].i));

        Assert.Contains(stages, s => s.l.Contains("dotnet/sdk", StringComparison.Ordinal) && s.l.EndsWith(" AS build", StringComparison.Ordinal));
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/runtime:", stages[^1].l, StringComparison.Ordinal); // no SDK in the image
        Assert.Contains("dotnet publish src/Stackvault.Cli/Stackvault.Cli.csproj", string.Join('\n', lines), StringComparison.Ordinal);
        foreach (var package in new[] { "sqlite3", "postgresql-client-${POSTGRES_CLIENT_VERSION}", "libzstd1", "libsqlite3-0", "tar", "tzdata" })
        {
            Assert.Contains(" " + (package.Contains('$', StringComparison.Ordinal) ? "\"" + package + "\"" : package) + " ", runtime, StringComparison.Ordinal);
        }

        Assert.Contains("COPY --from=prometheus /bin/promtool /usr/local/bin/promtool", runtime, StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/kubectl", runtime, StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/docker", runtime, StringComparison.Ordinal);
        Assert.Contains("ln -s /opt/stackvault/Stackvault.Cli /usr/local/bin/stackvault", runtime, StringComparison.Ordinal);
        Assert.Equal("USER 10001:10001", lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Equal("ENTRYPOINT [\"stackvault\"]", lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dockerignore_LetsThroughWhatTheBuildCopiesAndNoBuildOutputs()
    {
        var ignore = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile.dockerignore")).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var copied = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile"))
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ')[1..^1]).ToList();

        Assert.Equal("**", ignore[0]);
        Assert.All(copied, c => Assert.Contains("!" + c, ignore));
        Assert.All(copied, c => Assert.True(File.Exists(Path.Combine(S3rverFixture.RepositoryRoot, c)) || System.IO.Directory.Exists(Path.Combine(S3rverFixture.RepositoryRoot, c)), c));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void Dockerfile_EveryBasePinnableByDigest_OciLabels_Healthcheck()
    {
        var lines = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile"));
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.All(froms, f => Assert.Matches(@"^FROM \S+:\S*\$\{[A-Z_]+_DIGEST\}( AS \w+)?$", f));
        var build = File.ReadAllText(Path.Combine(DockerDirectory, "build.sh"));
        foreach (var digest in froms.Select(f => System.Text.RegularExpressions.Regex.Match(f, @"\$\{([A-Z_]+_DIGEST)\}").Groups[1].Value).Distinct())
        {
            Assert.Contains($"--build-arg {digest}=\"${digest}\"", build, StringComparison.Ordinal); // build.sh resolves and passes each
        }

        var text = string.Join('\n', lines);
        foreach (var label in new[] { "title", "description", "version", "revision", "created", "source", "base.name", "base.digest" })
        {
            Assert.Contains($"org.opencontainers.image.{label}=", text, StringComparison.Ordinal);
        }

        var health = lines.SkipWhile(l => !l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal)).Take(2).ToList();
        Assert.Contains("/dev/tcp/127.0.0.1/9464", health[1], StringComparison.Ordinal);
        Assert.Contains("GET /healthz", health[1], StringComparison.Ordinal);
    }
}
