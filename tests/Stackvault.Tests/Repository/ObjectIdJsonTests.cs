using System.Text;
using System.Text.Json;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Storage.Local;
using Stackvault.Tests.Hostile;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repository;

/// <summary>Typed ids in trees and snapshots keep the documented JSON (docs/design.md 11.1, 11.2) byte for byte.</summary>
public class ObjectIdJsonTests
{
    private static readonly ObjectId A = Id(0xa1);
    private static readonly ObjectId B = Id(0xb2);
    private static readonly ObjectId C = Id(0xc3);

    [Fact]
    public void Tree_TypedIds_WriteTheDocumentedBytesAndReadBack()
    {
        var tree = new Tree
        {
            Nodes =
            [
                new Node { Name = "d", Type = NodeType.Directory, Mode = 493, Subtree = C },
                new Node { Name = "empty", Mode = 420, Content = [] },
                new Node { Name = "f", Mode = 420, Size = 7, Content = [A, B] },
            ],
        };

        var expected = "{\"version\":1,\"nodes\":[" +
            $"{{\"name\":\"d\",\"type\":\"dir\",\"mode\":493,\"subtree\":\"{C}\"}}," +
            "{\"name\":\"empty\",\"type\":\"file\",\"mode\":420,\"content\":[]}," +
            $"{{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"size\":7,\"content\":[\"{A}\",\"{B}\"]}}]}}";
        var bytes = Stackvault.Repository.Repository.SerializeTree(tree);
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));

        var read = Stackvault.Repository.Repository.ParseTree(C, bytes);
        Assert.Equal([A, B], read.Nodes[2].Content!);
        Assert.Equal(C, read.Nodes[0].Subtree);
        Assert.Equal(bytes, Stackvault.Repository.Repository.SerializeTree(read));
    }

    [Fact]
    public void Snapshot_TypedIds_WriteLowerCaseHexAndOmitAbsentOnes()
    {
        var snapshot = new Snapshot { Time = DateTimeOffset.UnixEpoch, Tree = A, Parent = B, Original = C };
        var json = JsonSerializer.Serialize(snapshot, ModelJsonContext.Default.Snapshot);
        Assert.Contains($"\"tree\":\"{A}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"parent\":\"{B}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"original\":\"{C}\"", json, StringComparison.Ordinal);

        var plain = JsonSerializer.Serialize(new Snapshot { Time = DateTimeOffset.UnixEpoch, Tree = A }, ModelJsonContext.Default.Snapshot);
        Assert.DoesNotContain("\"parent\"", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\"original\"", plain, StringComparison.Ordinal);
        Assert.Equal(A, JsonSerializer.Deserialize(plain, ModelJsonContext.Default.Snapshot)!.Tree);
    }

    [Theory]
    [InlineData("\"content\":[\"A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1\"]")]
    [InlineData("\"content\":[\"a1a1\"]")]
    [InlineData("\"content\":[null]")]
    [InlineData("\"content\":[7]")]
    [InlineData("\"subtree\":\"zz1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a\"")]
    public void ParseTree_MalformedId_IsANamedError(string field)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"version\":1,\"nodes\":[{{\"name\":\"x\",\"type\":\"file\",{field}}}]}}");
        var e = Assert.ThrowsAny<StackvaultException>(() => Stackvault.Repository.Repository.ParseTree(C, bytes));
        Assert.StartsWith($"tree {C.ToShortString()}: not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.Contains("id", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1")]
    [InlineData("not-an-id")]
    [InlineData("")]
    public async Task LoadSnapshot_MalformedTreeId_IsACorruptObjectNamingTheSnapshot(string tree)
    {
        using var temp = new TempDirectory();
        var root = temp.Sub("repo");
        await new CliRunner(root).InitAsync("--no-encryption");
        new CraftedRepository(root).Commit(tree);
        var name = Path.GetFileName(Directory.GetFiles(Path.Combine(root, "snapshots")).Single());

        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(root)), null, TimeProvider.System, CancellationToken.None);
        var e = await Assert.ThrowsAsync<CorruptObjectException>(async () => await repository.LoadSnapshotAsync(ObjectId.Parse(name), CancellationToken.None));
        Assert.Equal(name, e.Handle.Name);
        Assert.Contains("snapshots/" + name, e.Message, StringComparison.Ordinal);
    }

    private static ObjectId Id(byte fill) => new(Enumerable.Repeat(fill, ObjectId.Size).ToArray());
}
