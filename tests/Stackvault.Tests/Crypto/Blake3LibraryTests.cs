using System.Runtime.InteropServices;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Crypto;

/// <summary>
/// BLAKE3 runs in a native library (libblake3_dotnet.so) that ships beside the CLI. A CLI installed without it must
/// say so in one line before it creates, opens or writes a BLAKE3 repository, and still serve SHA-256 repositories.
/// </summary>
public class Blake3LibraryTests
{
    private const string Library = "libblake3_dotnet.so";

    [Fact]
    public async Task Cli_WithoutItsBlake3Library_FailsInOneLine_LosesNothing_AndServesSha256Repositories()
    {
        using var temp = new TempDirectory();
        var cli = WithoutLibrary(temp.Sub("cli"), out _);
        var source = temp.Sub("src");
        new TreeGenerator(71).File(Path.Combine(source, "a"), 200_000);
        new TreeGenerator(72).File(Path.Combine(source, "d", "b"), 3_000);

        // init: nothing is created.
        var fresh = temp.Sub("fresh");
        var refused = await new CliRunner(fresh) { CliPath = cli }.ExpectAsync(1, "init", "--kdf-iterations", CliRunner.TestKdfIterations);
        AssertOneLineNamingTheLibrary(refused);
        Assert.Contains("it is not there", refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh), "init without the library created the repository");

        // A BLAKE3 repository made by the whole build: a backup with the lone executable fails and changes nothing.
        var repository = temp.Sub("repo");
        var whole = new CliRunner(repository);
        await whole.InitAsync();
        await whole.RunOkAsync("backup", source);
        var before = Files(repository);
        AssertOneLineNamingTheLibrary(await new CliRunner(repository) { CliPath = cli }.ExpectAsync(1, "backup", source));
        AssertOneLineNamingTheLibrary(await new CliRunner(repository) { CliPath = cli }.ExpectAsync(1, "restore", "latest", "--target", temp.Sub("out-b3")));
        Assert.Equal(before, Files(repository));
        Assert.False(Directory.Exists(temp.Sub("out-b3")), "a refused restore created its target");
        await whole.RunOkAsync("backup", source); // no lock left behind
        await whole.RunOkAsync("verify", "--read-data");

        // A SHA-256 repository needs no BLAKE3: the lone executable backs it up and restores it.
        var sha = new CliRunner(temp.Sub("sha")) { CliPath = cli };
        await sha.InitAsync("--hash", "sha256");
        await sha.RunOkAsync("backup", source);
        await sha.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        TreeComparer.AssertSame(source, temp.Sub("out") + source);
    }

    [Fact]
    public async Task Cli_WithADamagedBlake3Library_SaysItDoesNotLoad_AndCreatesNothing()
    {
        using var temp = new TempDirectory();
        var cli = WithoutLibrary(temp.Sub("cli"), out var library);
        File.WriteAllBytes(library, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, .. new byte[4000]]);
        var repository = temp.Sub("repo");
        var refused = await new CliRunner(repository) { CliPath = cli }.ExpectAsync(1, "init", "--kdf-iterations", CliRunner.TestKdfIterations);
        AssertOneLineNamingTheLibrary(refused);
        Assert.Contains("it is there, but does not load", refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repository), "init with a damaged library created the repository");
    }

    private static void AssertOneLineNamingTheLibrary(CliResult result)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Contains(Library, lines[0], StringComparison.Ordinal);
        Assert.Contains("could not be loaded", lines[0], StringComparison.Ordinal);
    }

    private static SortedDictionary<string, long> Files(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), f => new FileInfo(f).Length), StringComparer.Ordinal);

    /// <summary>
    /// The CLI the tests run, installed without its BLAKE3 library: the NativeAOT executable alone (as an operator who
    /// copies one file would), or the managed build's directory less the library.
    /// </summary>
    private static string WithoutLibrary(string directory, out string library)
    {
        Directory.CreateDirectory(directory);
        if (CliRunner.IsNative)
        {
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(CliRunner.DllPath)!, Library)), "the NativeAOT build ships no " + Library);
            var copy = Path.Combine(directory, Path.GetFileName(CliRunner.DllPath));
            File.Copy(CliRunner.DllPath, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(CliRunner.DllPath));
            library = Path.Combine(directory, Library);
            return copy;
        }

        var from = Path.GetDirectoryName(CliRunner.DllPath)!;
        var removed = 0;
        library = "";
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetRelativePath(from, file) == Path.Combine("runtimes", RuntimeInformation.RuntimeIdentifier, "native", Library))
            {
                library = Path.Combine(directory, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(library)!);
                removed++;
                continue;
            }

            var to = Path.Combine(directory, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        Assert.True(removed > 0, "the managed build ships no " + Library);
        return Path.Combine(directory, Path.GetFileName(CliRunner.DllPath));
    }
}
