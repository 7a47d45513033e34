using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Hooks;

/// <summary>
/// A STAND-IN for the docker CLI: a bash script named <c>docker</c> in its own directory, put first on the CLI's PATH,
/// that appends each invocation (<c>stop a b</c>, <c>start a</c>) to <see cref="LogPath"/> and exits 0. No real docker.
/// </summary>
internal sealed class DockerStandIn
{
    public DockerStandIn(TempDirectory temp)
    {
        var bin = temp.Sub("stand-in-bin");
        Directory.CreateDirectory(bin);
        LogPath = temp.Sub("docker.log");
        File.WriteAllText(LogPath, string.Empty);
        DockerHostLogPath = temp.Sub("docker-host.log");
        var script = Path.Combine(bin, "docker");
        ExecutableScript.Write(script, $"#!/bin/bash\necho \"$*\" >> '{LogPath}'\necho \"$DOCKER_HOST\" >> '{DockerHostLogPath}'\n");
        BinDirectory = bin;
    }

    public string BinDirectory { get; }

    public string LogPath { get; }

    /// <summary>The DOCKER_HOST each invocation saw, one per line.</summary>
    public string DockerHostLogPath { get; }

    /// <summary>The invocations so far, one per line.</summary>
    public IReadOnlyList<string> Calls => File.ReadAllLines(LogPath);

    /// <summary>Puts the stand-in first on the PATH of the CLI <paramref name="cli"/> runs.</summary>
    public void Install(CliRunner cli) =>
        cli.Environment["PATH"] = BinDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
}
