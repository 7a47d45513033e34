using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

public class ChunkerParametersTests
{
    [Fact]
    public void Default_Values_HalfOneEightMiB()
    {
        Assert.Equal(new ChunkerParameters(524288, 1048576, 8388608), ChunkerParameters.Default);
    }

    [Theory]
    [InlineData(0, 256, 1024, "MinSize")]
    [InlineData(256, 256, 1024, "MinSize")]
    [InlineData(64, 300, 1024, "AvgSize")]
    [InlineData(1, 2, 1024, "AvgSize")]
    [InlineData(64, 256, 256, "MaxSize")]
    [InlineData(64, 256, (64 << 20) + 1, "MaxSize")]
    public void Ctor_InvalidValues_ThrowsNamingField(int min, int avg, int max, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ChunkerParameters(min, avg, max));
        Assert.Equal(field, ex.ParamName);
        Assert.StartsWith(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_SmallAndLargestValues_Accepted()
    {
        var (min, avg, max) = new ChunkerParameters(64, 256, 1024);
        Assert.Equal((64, 256, 1024), (min, avg, max));
        Assert.Equal(64 << 20, new ChunkerParameters(1 << 20, 16 << 20, 64 << 20).MaxSize);
    }
}
