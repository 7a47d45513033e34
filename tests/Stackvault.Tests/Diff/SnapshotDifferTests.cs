using System.Text.Json;
using Stackvault.Diff;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Diff;

public class SnapshotDifferTests
{
    [Fact]
    public async Task Diff_CraftedChanges_EveryCategoryWithByteTotals()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var change = Path.Combine(source, "change");
        var generator = new TreeGenerator(11);
        generator.File(Path.Combine(change, "remove.txt"), 1000);
        generator.File(Path.Combine(change, "modify.txt"), 2000);
        generator.File(Path.Combine(change, "chmod.txt"), 300);
        generator.File(Path.Combine(change, "touch.txt"), 400);
        generator.File(Path.Combine(change, "link"), 500);
        generator.File(Path.Combine(source, "keep", "same.txt"), 600);
        Stackvault.Platform.Posix.SetTimes(Path.Combine(change, "touch.txt"), 1_000_000_000_000_000_000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);

        generator.File(Path.Combine(change, "add.txt"), 1234);
        File.Delete(Path.Combine(change, "remove.txt"));
        generator.File(Path.Combine(change, "modify.txt"), 2100);
        File.SetUnixFileMode(Path.Combine(change, "chmod.txt"), (UnixFileMode)0x180);
        Stackvault.Platform.Posix.SetTimes(Path.Combine(change, "touch.txt"), 1_000_000_000_000_000_001);
        File.Delete(Path.Combine(change, "link"));
        File.CreateSymbolicLink(Path.Combine(change, "link"), "modify.txt");
        await cli.RunOkAsync("backup", source);

        var ids = (await cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        var diff = (await cli.RunOkAsync("diff", ids[0], ids[1], "--json")).Json();
        var changes = diff.GetProperty("changes").EnumerateArray()
            .Where(c => c.GetProperty("path").GetString()!.StartsWith(source + "/", StringComparison.Ordinal))
            .ToDictionary(c => c.GetProperty("path").GetString()![(source.Length + 1)..], c => c.GetProperty("change").GetString());
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["change"] = "U", ["change/add.txt"] = "+", ["change/chmod.txt"] = "U", ["change/link"] = "T",
                ["change/modify.txt"] = "M", ["change/remove.txt"] = "-", ["change/touch.txt"] = "U",
            },
            changes);

        var group = diff.GetProperty("breakdown").GetProperty("by_path").EnumerateArray().Single(g => g.GetProperty("path").GetString() == change).GetProperty("totals");
        Assert.Equal((1, 1, 1, 3, 1), (Int(group, "added"), Int(group, "removed"), Int(group, "modified"), Int(group, "metadata"), Int(group, "type_changed")));
        Assert.Equal(1234, Int(group, "added_bytes"));
        Assert.Equal(1000 + 500, Int(group, "removed_bytes"));
        Assert.Equal(2100, Int(group, "changed_bytes"));
        Assert.DoesNotContain(diff.GetProperty("breakdown").GetProperty("by_path").EnumerateArray(), g => g.GetProperty("path").GetString() == Path.Combine(source, "keep"));
        Assert.Equal(1234, Int(diff.GetProperty("totals"), "added_bytes"));

        var text = (await cli.RunOkAsync("diff", ids[0], ids[1])).Stdout;
        Assert.Contains($"T    {change}/link (file -> symlink)", text, StringComparison.Ordinal);
        Assert.Contains($"+    {change}/add.txt", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_SameSnapshot_IsEmpty()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(12).File(Path.Combine(source, "a.txt"), 100);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var diff = (await cli.RunOkAsync("diff", "latest", "latest", "--json")).Json();
        Assert.Empty(diff.GetProperty("changes").EnumerateArray());
        Assert.Equal(0, Int(diff.GetProperty("totals"), "changes"));
        Assert.Equal(0, Int(diff, "trees_loaded"));
    }

    [Fact]
    public async Task Diff_SharedUnchangedSubtree_NeverLoadsItsTrees()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(13);
        for (var i = 0; i < 60; i++)
        {
            generator.File(Path.Combine(source, "big", $"d{i % 6}", $"e{i % 4}", $"f{i}.txt"), 50);
        }

        generator.File(Path.Combine(source, "small", "a.txt"), 10);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        generator.File(Path.Combine(source, "small", "b.txt"), 10);
        await cli.RunOkAsync("backup", source);

        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(temp.Sub("repo"))), "test-password", TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var snapshots = await repository.ListSnapshotsAsync(CancellationToken.None);
        var bigTrees = await SubtreeIdsAsync(repository, snapshots[0].Snapshot.Tree, (source + "/big").Split('/', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(bigTrees.Count == 1 + 6 + 12, $"expected the big subtree to hold many trees, found {bigTrees.Count}");

        var loaded = new List<ObjectId>();
        var differ = new SnapshotDiffer(async (id, ct) =>
        {
            loaded.Add(id);
            return await repository.LoadTreeAsync(id, ct);
        });
        var result = await differ.DiffAsync(snapshots[0].Snapshot, snapshots[1].Snapshot, CancellationToken.None);

        Assert.Contains(result.Entries, e => e.Kind == DiffKind.Added && e.Path == source + "/small/b.txt");
        Assert.DoesNotContain(result.Entries, e => e.Path.StartsWith(source + "/big", StringComparison.Ordinal));
        Assert.Empty(loaded.Intersect(bigTrees));
        Assert.Equal(loaded.Count, result.TreesLoaded);
    }

    private static long Int(JsonElement element, string name) => element.GetProperty(name).GetInt64();

    /// <summary>Every tree id at and below the directory reached by following <paramref name="names"/> from the root.</summary>
    private static async Task<HashSet<ObjectId>> SubtreeIdsAsync(Stackvault.Repository.Repository repository, ObjectId root, string[] names)
    {
        var id = root;
        foreach (var name in names)
        {
            id = (await repository.LoadTreeAsync(id, CancellationToken.None)).Nodes.Single(n => n.Name == name).Subtree!.Value;
        }

        var all = new HashSet<ObjectId>();
        var queue = new Queue<ObjectId>([id]);
        while (queue.TryDequeue(out var next))
        {
            all.Add(next);
            foreach (var node in (await repository.LoadTreeAsync(next, CancellationToken.None)).Nodes.Where(n => n.Type == NodeType.Directory))
            {
                queue.Enqueue(node.Subtree!.Value);
            }
        }

        return all;
    }
}
