using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Docs;

/// <summary>
/// README's quick start, run as written: the indented block under "## Quick start" is pasted into bash at the root
/// of the checkout (with <c>./stackvault</c> pointing at the CLI built beside the tests and HOME a temp directory).
/// Every command must succeed and the restored files must be the backed-up ones.
/// </summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task ReadmeQuickStart_PastedIntoBash_Works()
    {
        var root = S3rverFixture.RepositoryRoot;
        var lines = File.ReadAllLines(Path.Combine(root, "README.md"));
        var start = Array.IndexOf(lines, "## Quick start");
        Assert.True(start >= 0, "README.md has no '## Quick start'");
        var block = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .SkipWhile(l => !l.StartsWith("    ", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal))
            .Select(l => l[4..]).ToList();
        Assert.Contains(block, l => l.StartsWith("./stackvault init", StringComparison.Ordinal));

        using var temp = new TempDirectory();
        var wrapper = temp.Sub("stackvault");
        ExecutableScript.Write(wrapper, $"#!/bin/sh\nexec {CliRunner.ShellCommand} \"$@\"\n");
        var script = temp.Sub("quickstart.sh");
        File.WriteAllText(script, "set -e\n" + string.Join('\n', block.Select(l => l.Replace("./stackvault ", wrapper + " ", StringComparison.Ordinal))) + "\n");
        var home = temp.Sub("home");
        Directory.CreateDirectory(home);

        var start_ = new ProcessStartInfo("bash", [script]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var key in start_.Environment.Keys.Where(k => k.StartsWith("STACKVAULT_", StringComparison.Ordinal)).ToList())
        {
            start_.Environment.Remove(key);
        }

        start_.Environment["HOME"] = home;
        start_.Environment["STACKVAULT_STATE_DIR"] = temp.Sub("state");
        using var process = Process.Start(start_)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"quick start failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");

        Assert.True(new FileInfo(Path.Combine(home, "stackvault-quickstart", "password")).Length > 16, "the password file was not created");
        var restored = Path.Combine(home, "stackvault-quickstart", "restore") + root;
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "docs", "operations.md")), File.ReadAllBytes(Path.Combine(restored, "docs", "operations.md")));
        Assert.True(File.Exists(Path.Combine(restored, "deploy", "docker", "Dockerfile")));
    }
}
