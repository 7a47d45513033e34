using Stackvault.Repository;

namespace Stackvault.Tests.Repository;

public class ObjectIdTests
{
    [Fact]
    public void Parse_RoundTripsHex_SameValue()
    {
        var hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        var id = ObjectId.Parse(hex);
        Assert.Equal(hex, id.ToString());
        Assert.Equal(id, new ObjectId(id.ToBytes()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0011")]
    [InlineData("zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    public void TryParse_BadHex_ReturnsFalse(string hex)
    {
        Assert.False(ObjectId.TryParse(hex, out _));
    }
}
