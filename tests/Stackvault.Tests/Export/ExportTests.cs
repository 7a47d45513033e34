using System.Diagnostics;
using System.Security.Cryptography;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Export;

/// <summary>
/// <c>export</c> read back by the system tar and zstd. Archive mtimes are whole 100 ns ticks (System.Formats.Tar), and
/// GNU tar restores them exactly, so trees compare equal with mtimes truncated to 100 ns; owners and modes exactly.
/// </summary>
public class ExportTests
{
    private const long TarMtimeResolutionNs = 100;

    [Theory]
    [InlineData("tar")]
    [InlineData("tar.zst")]
    public async Task Export_AwkwardTreeThroughTar_SameTreeAsRestore(string format)
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(21).Awkward(source);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var restored = temp.Sub("restored");
        await cli.RunOkAsync("restore", "latest", "--target", restored);

        var extracted = temp.Sub("extracted");
        Directory.CreateDirectory(extracted);
        var decompress = format == "tar.zst" ? "/usr/bin/zstd -dc | " : string.Empty;
        await PipeAsync(cli, $"\"$STACKVAULT_CLI\" export latest --special-files --format {format} | {decompress}/usr/bin/tar -x --same-owner -p --numeric-owner -f - -C '{extracted}'");

        TreeComparer.AssertSame(restored, extracted, mtimeResolutionNs: TarMtimeResolutionNs);
        var hard = extracted + source + "/hard/";
        Assert.Equal(Stackvault.Platform.Posix.LStat(hard + "a").Inode, Stackvault.Platform.Posix.LStat(hard + "c").Inode);
    }

    [Fact]
    public async Task Export_Include_OnlyMatchesAndTheirParents()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(22);
        generator.File(Path.Combine(source, "prometheus", "wal", "00000001"), 1000);
        generator.File(Path.Combine(source, "prometheus", "01HX", "meta.json"), 100);
        generator.File(Path.Combine(source, "grafana", "grafana.db"), 1000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var archive = temp.Sub("subset.tar");
        await cli.RunOkAsync("export", "latest", "--include", "meta.json", "-o", archive);

        var names = (await RunAsync("/usr/bin/tar", "-tf", archive)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var prefix = source.TrimStart('/');
        Assert.Contains(prefix + "/prometheus/01HX/meta.json", names);
        Assert.Contains(prefix + "/prometheus/01HX/", names);
        Assert.DoesNotContain(names, n => n.Contains("grafana", StringComparison.Ordinal) || n.Contains("wal", StringComparison.Ordinal));
        Assert.All(names, n => Assert.False(n.StartsWith('/') || n.Split('/').Contains(".."), n));
    }

    [Fact]
    public async Task Export_ToFileFailsMidway_LeavesNoFileAndKeepsThePreviousOne()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(23);
        generator.File(Path.Combine(source, "a.bin"), 3 * 1024 * 1024, compressible: false);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--chunker", "65536,131072,262144");
        await cli.RunOkAsync("backup", source);
        var archive = temp.Sub("out.tar.zst");
        await cli.RunOkAsync("export", "latest", "-o", archive);
        var before = SHA256.HashData(File.ReadAllBytes(archive));

        // Corrupt a data blob in the middle of the file's content: the export fails after writing part of the archive.
        var pack = RepositoryFiles.Objects(temp.Sub("repo"), "data").OrderByDescending(p => new FileInfo(p).Length).First();
        RepositoryFiles.FlipByte(pack, new FileInfo(pack).Length / 2);
        var failed = await cli.ExpectAsync(1, "export", "latest", "-o", archive);
        Assert.Contains("corrupt", failed.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(archive + ".partial"));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(archive)));

        // To stdout, a failed export stops without ending the zstd frame (and without tar's end-of-archive blocks).
        var (_, piped) = await PipeAsync(cli, "\"$STACKVAULT_CLI\" export latest --format tar.zst | /usr/bin/zstd -dc > /dev/null; echo \"zstd=${PIPESTATUS[1]}\"", expectSuccess: false);
        Assert.DoesNotContain("zstd=0", piped, StringComparison.Ordinal);
        Assert.Contains("zstd=", piped, StringComparison.Ordinal);

        var fresh = temp.Sub("fresh.tar");
        await cli.ExpectAsync(1, "export", "latest", "-o", fresh);
        Assert.False(File.Exists(fresh));
        Assert.False(File.Exists(fresh + ".partial"));
    }

    [Fact]
    public async Task Export_StdoutIsATerminal_ExitsUsage()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var (code, output) = await PipeAsync(cli, "/usr/bin/script -qec \"$STACKVAULT_CLI_COMMAND export latest\" /dev/null", expectSuccess: false);
        Assert.Equal(2, code);
        Assert.Contains("refusing to write a binary archive to a terminal", output, StringComparison.Ordinal);
    }

    /// <summary>Runs a bash pipeline (pipefail) with the CLI's environment; $STACKVAULT_CLI runs the CLI.</summary>
    private static async Task<(int ExitCode, string Output)> PipeAsync(CliRunner cli, string pipeline, bool expectSuccess = true)
    {
        var start = cli.StartInfo();
        start.FileName = "/bin/bash";
        start.ArgumentList.Clear();
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -o pipefail; STACKVAULT_CLI() { eval \"$STACKVAULT_CLI_COMMAND \\\"\\$@\\\"\"; }; " + pipeline.Replace("\"$STACKVAULT_CLI\"", "STACKVAULT_CLI", StringComparison.Ordinal));
        start.Environment["STACKVAULT_CLI_COMMAND"] = CliRunner.ShellCommand;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(!expectSuccess || process.ExitCode == 0, $"{pipeline}: exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{await stderr}");
        return await stdout;
    }
}
