using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

public class ProgressDisplayTests
{
    /// <summary>
    /// Under a pseudo-terminal (util-linux `script`) the progress bar is drawn; such a terminal may report width 0,
    /// which once threw inside the timer and killed the backup.
    /// </summary>
    [Fact]
    public async Task Backup_OnATerminal_DrawsProgressAndSucceeds()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(61);
        for (var i = 0; i < 30; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), 2_000_000, compressible: false);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var inner = cli.StartInfo("backup", source);
        var command = string.Join(' ', new[] { inner.FileName }.Concat(inner.ArgumentList).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qec", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in inner.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("saved, complete", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
