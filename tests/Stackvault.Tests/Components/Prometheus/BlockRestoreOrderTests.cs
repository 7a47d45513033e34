using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Tests.Components.Prometheus;

public sealed class BlockRestoreOrderTests
{
    [Fact]
    public void Meta_json_comes_last_and_the_rest_in_ordinal_order()
    {
        var order = BlockRestoreOrder.Order(["meta.json", "tombstones", "index", "chunks/000002", "chunks/000001"]);

        Assert.Equal(["chunks/000001", "chunks/000002", "index", "tombstones", "meta.json"], order);
    }

    [Fact]
    public void A_meta_json_in_a_subdirectory_is_not_the_block_meta()
    {
        var order = BlockRestoreOrder.Order(["meta.json", "x/meta.json", "index"]);

        Assert.Equal(["index", "x/meta.json", "meta.json"], order);
    }

    [Fact]
    public void A_block_without_meta_json_is_refused()
    {
        var ex = Assert.ThrowsAny<StackvaultException>(() => BlockRestoreOrder.Order(["index", "chunks/000001"]));

        Assert.Contains("partial block", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../index")]
    [InlineData("/etc/passwd")]
    [InlineData("chunks//000001")]
    [InlineData("chunks/./000001")]
    [InlineData("chunks\\000001")]
    [InlineData("")]
    public void Paths_that_are_not_plain_relative_paths_are_refused(string path)
    {
        Assert.ThrowsAny<StackvaultException>(() => BlockRestoreOrder.Order(["meta.json", path]));
    }

    [Fact]
    public void A_path_listed_twice_is_refused()
    {
        Assert.ThrowsAny<StackvaultException>(() => BlockRestoreOrder.Order(["meta.json", "index", "index"]));
    }
}
