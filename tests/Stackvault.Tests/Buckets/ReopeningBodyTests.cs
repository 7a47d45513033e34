using Stackvault.Buckets;

namespace Stackvault.Tests.Buckets;

/// <summary>The streamed PUT's body: rewinds by opening the content again, and never passes off a short or long content as the object.</summary>
public sealed class ReopeningBodyTests
{
    [Fact]
    public async Task RewindToTheStart_OpensTheContentAgain_TwoPassesGiveTheSameBytes()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var opens = 0;
        await using var body = new ReopeningBody(_ =>
        {
            opens++;
            return ValueTask.FromResult<Stream>(new MemoryStream(data, writable: false));
        }, data.Length);

        var first = new MemoryStream();
        await body.CopyToAsync(first);
        body.Position = 0;
        var second = new MemoryStream();
        body.CopyTo(second); // the synchronous path as well

        Assert.Equal(2, opens);
        Assert.Equal(data, first.ToArray());
        Assert.Equal(data, second.ToArray());
        Assert.True(body.CanSeek);
        Assert.Equal(data.Length, body.Length);
        Assert.Throws<NotSupportedException>(() => body.Seek(10, SeekOrigin.Begin));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task ContentOfAnotherLength_FailsTheRead(int difference)
    {
        var data = new byte[4096 + difference];
        await using var body = new ReopeningBody(_ => ValueTask.FromResult<Stream>(new MemoryStream(data, writable: false)), 4096);

        var e = await Assert.ThrowsAsync<IOException>(() => body.CopyToAsync(Stream.Null));
        Assert.Contains("4096 bytes", e.Message, StringComparison.Ordinal);
    }
}
