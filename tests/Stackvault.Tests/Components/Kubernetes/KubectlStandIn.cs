using System.Text;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>
/// A STAND-IN for the kubectl CLI (no cluster here): a bash script that appends each invocation's arguments to
/// <see cref="Calls"/> and answers from rules: the first rule whose text occurs in the arguments prints its fixture
/// to stdout (and a line to stderr), optionally saves its stdin, and exits with its code. No rule: exit 1.
/// </summary>
internal sealed class KubectlStandIn
{
    private readonly string _directory;
    private readonly string _log;
    private readonly List<string> _cases = [];

    public KubectlStandIn(TempDirectory temp)
    {
        _directory = temp.Sub("kubectl-stand-in");
        Directory.CreateDirectory(_directory);
        _log = Path.Combine(_directory, "calls.log");
        File.WriteAllText(_log, string.Empty);
        Program = Path.Combine(_directory, "kubectl");
        Write();
    }

    /// <summary>The script's path: give it to the adapter or restorer as their kubectl.</summary>
    public string Program { get; }

    /// <summary>Puts the stand-in first on the PATH of <paramref name="cli"/>'s runs (the CLI calls "kubectl").</summary>
    public KubectlStandIn FirstOnPathOf(CliRunner cli)
    {
        cli.Environment["PATH"] = _directory + ":" + Environment.GetEnvironmentVariable("PATH");
        return this;
    }

    /// <summary>The arguments of each call so far, one string per call.</summary>
    public IReadOnlyList<string> Calls => File.ReadAllLines(_log);

    /// <summary>Answers calls whose arguments contain <paramref name="contains"/>.</summary>
    public KubectlStandIn On(string contains, string? stdout = null, int exit = 0, string? stderr = null, byte[]? stdoutBytes = null, bool saveStdin = false)
    {
        var index = _cases.Count;
        var output = Path.Combine(_directory, $"out-{index}");
        File.WriteAllBytes(output, stdoutBytes ?? Encoding.UTF8.GetBytes(stdout ?? string.Empty));
        var body = new StringBuilder();
        body.Append(saveStdin ? $"cat > '{StdinPath(index)}'; " : string.Empty);
        body.Append($"cat '{output}'; ");
        body.Append(stderr is null ? string.Empty : $"echo {Quote(stderr)} >&2; ");
        body.Append($"exit {exit};;");
        _cases.Add($"  *{Quote(contains)}*) {body}");
        Write();
        return this;
    }

    /// <summary>What the <paramref name="rule"/>-th rule (0-based, in the order added) last received on stdin.</summary>
    public byte[] Stdin(int rule) => File.ReadAllBytes(StdinPath(rule));

    /// <summary>The index of the first call containing <paramref name="text"/>, or -1.</summary>
    public int IndexOf(string text) => Calls.ToList().FindIndex(c => c.Contains(text, StringComparison.Ordinal));

    private string StdinPath(int index) => Path.Combine(_directory, $"stdin-{index}");

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void Write()
    {
        var script = new StringBuilder("#!/bin/bash\n");
        script.Append($"echo \"$*\" >> '{_log}'\n");
        script.Append("case \"$*\" in\n");
        foreach (var c in _cases)
        {
            script.Append(c).Append('\n');
        }

        script.Append("  *) echo \"kubectl stand-in: no rule for: $*\" >&2; exit 1;;\nesac\n");
        ExecutableScript.Write(Program, script.ToString());
    }
}
