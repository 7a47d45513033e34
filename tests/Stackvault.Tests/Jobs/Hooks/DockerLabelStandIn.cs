using System.Text;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Hooks;

/// <summary>
/// A STAND-IN for the docker CLI that answers label discovery: a bash script named <c>docker</c>, first on the CLI's
/// PATH, logging each call's arguments (and DOCKER_HOST) and answering from rules: the first rule whose text occurs in
/// the arguments prints its output and exits with its code; no rule: exit 0 with no output. No real docker.
/// </summary>
internal sealed class DockerLabelStandIn
{
    private readonly string _bin;
    private readonly List<string> _cases = [];

    public DockerLabelStandIn(TempDirectory temp)
    {
        _bin = temp.Sub("docker-label-stand-in");
        Directory.CreateDirectory(_bin);
        LogPath = Path.Combine(_bin, "calls.log");
        DockerHostLogPath = Path.Combine(_bin, "docker-host.log");
        File.WriteAllText(LogPath, string.Empty);
        File.WriteAllText(DockerHostLogPath, string.Empty);
        Write();
    }

    public string LogPath { get; }

    public string DockerHostLogPath { get; }

    public IReadOnlyList<string> Calls => File.ReadAllLines(LogPath);

    public DockerLabelStandIn On(string contains, string output = "", int exit = 0, string? stderr = null)
    {
        var file = Path.Combine(_bin, $"out-{_cases.Count}");
        File.WriteAllText(file, output);
        _cases.Add($"  *{Quote(contains)}*) cat '{file}'; " + (stderr is null ? string.Empty : $"echo {Quote(stderr)} >&2; ") + $"exit {exit};;");
        Write();
        return this;
    }

    public void Install(CliRunner cli) =>
        cli.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void Write()
    {
        var script = new StringBuilder("#!/bin/bash\n");
        script.Append($"echo \"$*\" >> '{LogPath}'\necho \"$DOCKER_HOST\" >> '{DockerHostLogPath}'\ncase \"$*\" in\n");
        foreach (var c in _cases)
        {
            script.Append(c).Append('\n');
        }

        script.Append("  *) exit 0;;\nesac\n");
        var path = Path.Combine(_bin, "docker");
        ExecutableScript.Write(path, script.ToString());
    }
}
