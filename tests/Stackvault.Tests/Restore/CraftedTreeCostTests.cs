using System.Text;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// Issue 14 items 11 and 12: crafted trees cost bounded memory and end in a clear error (31 trees fanning out to
/// 2^30 paths, a chain of 20,000 directories), and hard-linked entries with different content are corruption.
/// </summary>
public class CraftedTreeCostTests
{
    private const string Password = "test-password";

    [Fact]
    public async Task Restore_TreesFanningOutTo2Pow30Paths_IsRefusedWithBoundedMemory()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        await CraftAsync(cli.Repository, async (save, file) =>
        {
            var id = await save([file("leaf")]);
            for (var level = 0; level < 30; level++)
            {
                id = await save([Dir("l", id), Dir("r", id)]);
            }

            return id;
        });

        var target = temp.Sub("target");
        var (result, peakKb) = await RunMeasuredAsync(cli, "restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("refusing to restore", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("expand", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(peakKb, 1, 600 * 1024);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Restore_ChainOf20000Directories_IsRefusedEarly()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        await CraftAsync(cli.Repository, async (save, file) =>
        {
            var id = await save([file("bottom")]);
            for (var level = 0; level < 20_000; level++)
            {
                id = await save([Dir("d", id)]);
            }

            return id;
        });

        var target = temp.Sub("target");
        var (result, peakKb) = await RunMeasuredAsync(cli, "restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("refusing to restore", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nested deeper than", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(peakKb, 1, 400 * 1024);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Restore_HardLinkedEntriesWithDifferentContent_AreCorruptionNeverTheFirstOnesBytes()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        await CraftAsync(cli.Repository, async (save, file) =>
        {
            var one = file("one");
            var two = file("two");
            var other = file("other");
            one.Links = two.Links = 2;
            one.Inode = two.Inode = 4242;
            one.Device = two.Device = 7;
            two.Content = other.Content; // same inode, different content
            two.Size = other.Size;
            return await save([one, two]);
        });

        var target = temp.Sub("target");
        var result = await cli.RunAsync("restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("not restored: /two: hard-linked to /one", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("content of one", await File.ReadAllTextAsync(Path.Combine(target, "one")));
        Assert.False(File.Exists(Path.Combine(target, "two")));
    }

    private static Node Dir(string name, ObjectId subtree) => new() { Name = name, Type = NodeType.Directory, Mode = 0x1ED, Subtree = subtree };

    /// <summary>Runs the CLI and samples its peak resident memory (VmHWM) just before it exits.</summary>
    private static async Task<(CliResult Result, long PeakKb)> RunMeasuredAsync(CliRunner cli, params string[] args)
    {
        var start = cli.StartInfo(args);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
            }

            await Task.Delay(50, timeout.Token);
        }

        await process.WaitForExitAsync(timeout.Token);
        return (new CliResult(process.ExitCode, await stdout, await stderr), peak);
    }

    private static async Task CraftAsync(string repositoryPath, Func<Func<Node[], Task<ObjectId>>, Func<string, Node>, Task<ObjectId>> build)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(repositoryPath)), Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var writer = new BlobWriter(repository, () => { });
        await using (writer)
        {
            var blobs = new Dictionary<string, ObjectId>();
            var files = new List<(string Name, byte[] Content)>();
            Node File(string name)
            {
                var content = Encoding.UTF8.GetBytes("content of " + name);
                var id = repository.Blobs.Hasher.ComputeId(content);
                files.Add((name, content));
                blobs[name] = id;
                return new Node { Name = name, Type = NodeType.File, Mode = 0x1A4, Size = content.Length, Content = [id] };
            }

            var saved = new HashSet<ObjectId>();
            async Task<ObjectId> SaveTree(Node[] nodes)
            {
                foreach (var (_, content) in files)
                {
                    var dataId = repository.Blobs.Hasher.ComputeId(content);
                    if (saved.Add(dataId))
                    {
                        await writer.SaveAsync(BlobType.Data, dataId, content, null, CancellationToken.None);
                    }
                }

                var bytes = Stackvault.Repository.Repository.SerializeTree(new Tree { Nodes = [.. nodes] });
                var id = repository.Blobs.Hasher.ComputeId(bytes);
                if (saved.Add(id))
                {
                    await writer.SaveAsync(BlobType.Tree, id, bytes, null, CancellationToken.None);
                }

                return id;
            }

            var root = await build(SaveTree, File);
            await writer.CompleteAsync();
            await repository.SaveSnapshotAsync(new Snapshot { Time = DateTimeOffset.UtcNow, Tree = root, Paths = ["/crafted"], Hostname = "attacker" }, CancellationToken.None);
        }
    }
}
