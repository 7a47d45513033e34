using System.Text;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>Invariant 6: crafted snapshots never make restore write outside its target.</summary>
public class HostileSnapshotTests
{
    private const string Password = "test-password";

    public static TheoryData<string> Attacks => new() { "dotdot", "slash", "absolute", "empty", "dot", "duplicate-symlink-then-dir", "nul" };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Restore_CraftedTree_RefusesAndWritesNothingOutside(string attack)
    {
        using var temp = new TempDirectory();
        var outside = temp.Sub("outside");
        Directory.CreateDirectory(outside);
        var repositoryPath = temp.Sub("repo");
        var cli = new CliRunner(repositoryPath, Password);
        await cli.InitAsync();
        await CraftAsync(repositoryPath, outside, attack);

        var target = Path.Combine(temp.Sub("t1"), "t2", "target");
        var result = await cli.RunAsync("restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("refusing to restore", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Combine(temp.Sub("t1"), "pwned")));
        Assert.False(File.Exists(Path.Combine(temp.Sub("t1"), "t2", "pwned")));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Restore_SymlinkLeadingOut_IsRestoredVerbatimAndNotFollowed()
    {
        using var temp = new TempDirectory();
        var outside = temp.Sub("outside");
        Directory.CreateDirectory(outside);
        var repositoryPath = temp.Sub("repo");
        var cli = new CliRunner(repositoryPath, Password);
        await cli.InitAsync();
        await CraftAsync(repositoryPath, outside, "symlink-only");
        var target = temp.Sub("target");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        Assert.Equal(outside, new FileInfo(Path.Combine(target, "escape")).LinkTarget);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    private static async Task CraftAsync(string repositoryPath, string outside, string attack)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(repositoryPath)), Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var writer = new BlobWriter(repository, () => { });
        await using (writer)
        {
            var content = Encoding.UTF8.GetBytes("pwned");
            var dataId = repository.Blobs.Hasher.ComputeId(content);
            await writer.SaveAsync(BlobType.Data, dataId, content, null, CancellationToken.None);
            Node File(string name) => new() { Name = name, Type = NodeType.File, Mode = 0x1A4, Size = content.Length, Content = [dataId] };

            async Task<ObjectId> SaveTree(params Node[] nodes)
            {
                var bytes = Stackvault.Repository.Repository.SerializeTree(new Tree { Nodes = [.. nodes] });
                var id = repository.Blobs.Hasher.ComputeId(bytes);
                await writer.SaveAsync(BlobType.Tree, id, bytes, null, CancellationToken.None);
                return id;
            }

            ObjectId root;
            switch (attack)
            {
                case "dotdot":
                    root = await SaveTree(new Node { Name = "..", Type = NodeType.Directory, Mode = 0x1ED, Subtree = await SaveTree(File("pwned")) });
                    break;
                case "slash":
                    root = await SaveTree(File("../../pwned"));
                    break;
                case "absolute":
                    root = await SaveTree(File(outside + "/pwned"));
                    break;
                case "empty":
                    root = await SaveTree(File(string.Empty));
                    break;
                case "dot":
                    root = await SaveTree(new Node { Name = ".", Type = NodeType.Directory, Mode = 0x1ED, Subtree = await SaveTree(File("pwned")) });
                    break;
                case "nul":
                    root = await SaveTree(File("a\0b"));
                    break;
                case "duplicate-symlink-then-dir":
                    root = await SaveTree(
                        new Node { Name = "x", Type = NodeType.Symlink, Target = outside },
                        new Node { Name = "x", Type = NodeType.Directory, Mode = 0x1ED, Subtree = await SaveTree(File("pwned")) });
                    break;
                default:
                    root = await SaveTree(new Node { Name = "escape", Type = NodeType.Symlink, Target = outside });
                    break;
            }

            await writer.CompleteAsync();
            await repository.SaveSnapshotAsync(new Snapshot { Time = DateTimeOffset.UtcNow, Tree = root, Paths = ["/crafted"], Hostname = "attacker" }, CancellationToken.None);
        }
    }
}
