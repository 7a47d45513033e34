using System.Formats.Tar;
using Stackvault.Tests.Hostile;
using Stackvault.Tests.Support;
using static Stackvault.Tests.Hostile.CraftedRepository;

namespace Stackvault.Tests.Export;

/// <summary>Issue 14 item 10: export treats device nodes and FIFOs as restore does, and never exports nothing with exit 0.</summary>
public class ExportSpecialFilesTests
{
    [Fact]
    public async Task Export_DeviceNodesAndFifo_LeftOutWithAWarningUnlessSpecialFiles()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await CraftAsync(temp, c => c.Tree(TreeJson(
            File(Json("a.txt"), c.Data("hello"u8.ToArray()), 5),
            Special(Json("fifo"), "fifo", 0),
            Special(Json("mem"), "chardev", 0x101),
            Special(Json("sda"), "blockdev", 0x800))));

        var plain = temp.Sub("plain.tar");
        var result = await cli.RunOkAsync("export", "latest", "-o", plain);
        Assert.Contains("/mem: a character device is exported only with --special-files", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("/sda: a block device", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("/fifo: a FIFO", result.Stderr, StringComparison.Ordinal);
        Assert.Equal([(TarEntryType.RegularFile, "a.txt")], Entries(plain));

        var special = temp.Sub("special.tar");
        await cli.RunOkAsync("export", "latest", "--special-files", "-o", special);
        Assert.Equal(
            [(TarEntryType.RegularFile, "a.txt"), (TarEntryType.Fifo, "fifo"), (TarEntryType.CharacterDevice, "mem"), (TarEntryType.BlockDevice, "sda")],
            Entries(special));
    }

    [Fact]
    public async Task Export_NothingLeftToExport_IsAnErrorAndWritesNoArchive()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await CraftAsync(temp, c => c.Tree(TreeJson(Special(Json("mem"), "chardev", 0x101))));
        var archive = temp.Sub("out.tar");

        var skipped = await cli.ExpectAsync(1, "export", "latest", "-o", archive);
        Assert.Contains("nothing to export: all 1 entries selected were left out", skipped.Stderr, StringComparison.Ordinal);
        var unmatched = await cli.ExpectAsync(1, "export", "latest", "--special-files", "--include", "no-such-name", "-o", archive);
        Assert.Contains("nothing to export: no entry of the snapshot is selected", unmatched.Stderr, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(archive) || System.IO.File.Exists(archive + ".partial"));
    }

    [Fact]
    public async Task Export_NulInSymlinkTarget_IsAnError()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await CraftAsync(temp, c => c.Tree(TreeJson(Symlink(Json("link"), Json("/etc\0/passwd")))));
        var result = await cli.ExpectAsync(1, "export", "latest", "-o", temp.Sub("out.tar"));
        Assert.Contains("/link: the symlink target '/etc\\u0000/passwd' holds a NUL byte", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(CliRunner Cli, string Repository)> CraftAsync(TempDirectory temp, Func<CraftedRepository, string> build)
    {
        var repository = temp.Sub("repo");
        var cli = new CliRunner(repository);
        await cli.InitAsync("--no-encryption");
        var crafted = new CraftedRepository(repository);
        crafted.Commit(build(crafted));
        return (cli, repository);
    }

    private static List<(TarEntryType, string)> Entries(string archive)
    {
        using var reader = new TarReader(System.IO.File.OpenRead(archive));
        var entries = new List<(TarEntryType, string)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.EntryType, entry.Name));
        }

        return entries;
    }
}
