using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Stackvault.Platform;
using Stackvault.Tests.Support;
using Xunit.Abstractions;
using static Stackvault.Tests.Hostile.CraftedRepository;

namespace Stackvault.Tests.Hostile;

/// <summary>
/// The hostile-snapshot corpus (issue 14, disruption suite): every crafted snapshot goes through <c>restore</c>,
/// <c>export</c> and <c>tools/recover.py</c>. Each run must stay within 1 GiB of peak RSS and a generous timeout
/// (sampled from /proc, no wall-clock assertion), write nothing outside its target (no payload file, no device
/// node anywhere, the "outside" directory untouched), and either end with a clear error (non-zero exit, a message,
/// no traceback, no "internal error", no stack trace) or, for the cases a tool handles by design (a symlink leading
/// out is restored verbatim; device nodes are skipped), succeed without writing what it must not.
/// </summary>
public class HostileCorpusTests(ITestOutputHelper output, HostileCorpusTests.EmptyRepository empty) : IClassFixture<HostileCorpusTests.EmptyRepository>
{
    private const long MaxRss = 1L << 30;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly byte[] PayloadBytes = Encoding.UTF8.GetBytes("pwned");

    /// <summary>Cases: name -> (build the root tree, restore fails, export fails, recover.py fails).</summary>
    private static readonly Dictionary<string, (Func<CraftedRepository, string, string> Build, bool Restore, bool Export, bool Recover)> Cases = new()
    {
        ["dotdot-dir"] = ((c, o) => c.Tree(TreeJson(Dir(Json(".."), c.Tree(TreeJson(Payload(c)))))), true, true, true),
        ["slash-name"] = ((c, o) => c.Tree(TreeJson(Payload(c, "../../pwned"))), true, true, true),
        ["absolute-name"] = ((c, o) => c.Tree(TreeJson(Payload(c, o + "/pwned"))), true, true, true),
        ["empty-name"] = ((c, o) => c.Tree(TreeJson(Payload(c, string.Empty))), true, true, true),
        ["dot-dir"] = ((c, o) => c.Tree(TreeJson(Dir(Json("."), c.Tree(TreeJson(Payload(c)))))), true, true, true),
        ["nul-name"] = ((c, o) => c.Tree(TreeJson(Payload(c, "a\0b"))), true, true, true),
        ["symlink-then-dir-same-name"] = ((c, o) => c.Tree(TreeJson(Symlink(Json("x"), Json(o)), Dir(Json("x"), c.Tree(TreeJson(Payload(c)))))), true, true, true),
        ["nul-in-symlink-target"] = ((c, o) => c.Tree(TreeJson(Payload(c, "a"), Symlink(Json("link"), Json(o + "\0/etc/passwd")))), true, true, true),
        ["lone-surrogate-name"] = ((c, o) => c.Tree(TreeJson(File("\"bad\\ud800name\"", c.Data(PayloadBytes), PayloadBytes.Length))), true, true, true),
        ["lone-surrogate-symlink-target"] = ((c, o) => c.Tree(TreeJson(Payload(c, "a"), Symlink(Json("link"), "\"x\\udc80y\""))), true, true, true),
        ["uid-2^40"] = ((c, o) => c.Tree(TreeJson(File(Json("f"), c.Data(PayloadBytes), PayloadBytes.Length, ",\"uid\":1099511627776"))), true, true, true),
        ["fan-out-2^31-paths"] = ((c, o) => FanOut(c, 31), true, true, true),
        ["chain-of-2000-dirs"] = ((c, o) => Chain(c, 2000), true, true, true),
        ["zstd-bomb-data-blob"] = ((c, o) => c.Tree(TreeJson(File(Json("bomb"), c.Compressed(0, ZstdBomb(2L << 30), 100, Hex("data bomb")), 100))), true, true, true),
        ["zstd-bomb-tree-blob"] = ((c, o) => c.Tree(TreeJson(Dir(Json("d"), c.Compressed(1, ZstdBomb(2L << 30), 100, Hex("tree bomb"))))), true, true, true),
        ["device-nodes-only"] = ((c, o) => c.Tree(TreeJson(Special(Json("mem"), "chardev", 0x101), Special(Json("sda"), "blockdev", 0x800))), false, true, false),
        ["symlink-leading-out"] = ((c, o) => c.Tree(TreeJson(Symlink(Json("escape"), Json(o)))), false, false, false),
        ["upper-case-subtree-id"] = ((c, o) => c.Tree(TreeJson(Dir(Json("d"), c.Tree(TreeJson(Payload(c))).ToUpperInvariant()))), true, true, true),
        ["malformed-content-id"] = ((c, o) => c.Tree(TreeJson(File(Json("pwned"), "not-an-id", PayloadBytes.Length))), true, true, true),
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Cases.Keys)
        {
            foreach (var tool in new[] { "restore", "export", "recover.py" })
            {
                data.Add(name, tool);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task CraftedSnapshot_IsBoundedContainedAndClear(string name, string tool)
    {
        using var temp = new TempDirectory();
        var outside = temp.Sub("outside");
        Directory.CreateDirectory(outside);
        var repository = temp.Sub("repo");
        RepositoryFiles.CopyDirectory(empty.Root, repository);
        var cli = new CliRunner(repository);
        var (build, restoreFails, exportFails, recoverFails) = Cases[name];
        var crafted = new CraftedRepository(repository);
        crafted.Commit(build(crafted, outside));

        var targetParent = temp.Sub("t");
        Directory.CreateDirectory(targetParent);
        var target = Path.Combine(targetParent, "target");
        var archive = Path.Combine(targetParent, "out.tar");
        var (start, mustFail) = tool switch
        {
            "restore" => (cli.StartInfo("restore", "latest", "--target", target), restoreFails),
            "export" => (cli.StartInfo("export", "latest", "-o", archive), exportFails),
            _ => (Recover(repository, target), recoverFails),
        };

        var result = await BoundedRun.RunAsync(start, MaxRss, Timeout);
        output.WriteLine($"{name} / {tool}: {result}");

        Assert.True(result.Killed is null, $"{name} / {tool}: not bounded: {result}");
        AssertNothingOutside(temp.Path, target, outside);
        if (mustFail)
        {
            Assert.True(result.ExitCode is not 0, $"{name} / {tool}: expected a refusal, got {result}");
            AssertClearError(result, $"{name} / {tool}");
            Assert.False(System.IO.File.Exists(archive) || System.IO.File.Exists(archive + ".partial"), "a failed export leaves no archive");
        }
        else
        {
            Assert.True(result.ExitCode == 0, $"{name} / {tool}: expected success, got {result}");
            if (tool == "export")
            {
                AssertArchiveContained(archive);
            }
        }
    }

    private static string Payload(CraftedRepository c, string name = "pwned") => File(Json(name), c.Data(PayloadBytes), PayloadBytes.Length);

    private static string FanOut(CraftedRepository c, int levels)
    {
        var tree = c.Tree(TreeJson());
        for (var i = 0; i < levels; i++)
        {
            tree = c.Tree(TreeJson(Dir(Json("a"), tree), Dir(Json("b"), tree)));
        }

        return tree;
    }

    private static string Chain(CraftedRepository c, int depth)
    {
        var tree = c.Tree(TreeJson(Payload(c)));
        for (var i = 0; i < depth; i++)
        {
            tree = c.Tree(TreeJson(Dir(Json("d"), tree)));
        }

        return tree;
    }

    private static string Hex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private static ProcessStartInfo Recover(string repository, string target)
    {
        var start = new ProcessStartInfo("python3");
        start.ArgumentList.Add(Path.Combine(S3rverFixture.RepositoryRoot, "tools", "recover.py"));
        start.ArgumentList.Add("--repo");
        start.ArgumentList.Add(repository);
        start.ArgumentList.Add("--target");
        start.ArgumentList.Add(target);
        return start;
    }

    /// <summary>One clear message: something on stderr, and none of the marks of a crash.</summary>
    private static void AssertClearError(BoundedResult result, string what)
    {
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr), $"{what}: failed without a message: {result}");
        foreach (var crash in new[] { "Traceback", "internal error", "Unhandled exception", "   at " })
        {
            Assert.False(result.Stderr.Contains(crash, StringComparison.Ordinal), $"{what}: crashed instead of a clear error: {result}");
        }
    }

    /// <summary>No payload file and no device node anywhere but in the target, and the "outside" directory untouched.</summary>
    private static void AssertNothingOutside(string root, string target, string outside)
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            var type = Posix.LStat(path).Mode & Stackvault.Platform.FileStatus.TypeMask;
            Assert.False(type is Stackvault.Platform.FileStatus.TypeCharDevice or Stackvault.Platform.FileStatus.TypeBlockDevice, $"device node written: {path}");
            if (Path.GetFileName(path) == "pwned")
            {
                Assert.StartsWith(target + "/", path, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>An archive written: no absolute or '..' entry, no device node (no --special-files given).</summary>
    private static void AssertArchiveContained(string archive)
    {
        using var reader = new TarReader(System.IO.File.OpenRead(archive));
        var entries = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            entries++;
            Assert.False(entry.Name.StartsWith('/') || entry.Name.Split('/').Contains(".."), entry.Name);
            Assert.False(entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo, entry.Name);
        }

        Assert.True(entries > 0, "an archive with no entry");
    }

    /// <summary>One unencrypted repository initialised by the CLI once for the class; each case writes into a copy of it.</summary>
    public sealed class EmptyRepository : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new();

        public string Root => _temp.Sub("repo");

        public async Task InitializeAsync()
        {
            await new CliRunner(Root).InitAsync("--no-encryption");
            Assert.Contains("\"version\":3", await System.IO.File.ReadAllTextAsync(Path.Combine(Root, "config"))); // the crafted ids are BLAKE3
        }

        public Task DisposeAsync()
        {
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }
}
