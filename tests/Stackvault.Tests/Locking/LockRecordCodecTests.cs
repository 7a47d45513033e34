using System.Text;
using Stackvault.Locking;

namespace Stackvault.Tests.Locking;

public sealed class LockRecordCodecTests
{
    private static readonly LockRecord Sample = new(
        1, false, "backup", "h", 123, 456789, "u",
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        new DateTimeOffset(2025, 3, 4, 5, 8, 7, 0, TimeSpan.FromHours(2)),
        120, 0, new string('c', 64), "pid:[4026531836]");

    [Fact]
    public void Encode_Sample_ExactJson()
    {
        var json = Encoding.UTF8.GetString(LockRecordCodec.Encode(Sample));

        Assert.Equal(
            "{\"version\":1,\"exclusive\":false,\"operation\":\"backup\",\"hostname\":\"h\",\"pid\":123,\"process_start\":456789," +
            "\"username\":\"u\",\"created\":\"2025-03-04T05:06:07.890Z\",\"refreshed\":\"2025-03-04T03:08:07.000Z\"," +
            "\"lease_seconds\":120,\"sequence\":0,\"chain\":\"" + new string('c', 64) + "\",\"pid_namespace\":\"pid:[4026531836]\"}",
            json);
    }

    [Fact]
    public void TryDecode_Encoded_RoundTrips()
    {
        var decoded = LockRecordCodec.TryDecode(LockRecordCodec.Encode(Sample), out var error);
        Assert.Equal(string.Empty, error);
        Assert.Equal(Sample, decoded);
    }

    [Theory]
    [InlineData("not json", "malformed")]
    [InlineData("{\"version\":1}", "malformed")]
    [InlineData("{\"version\":7,\"exclusive\":true}", "version 7")]
    public void TryDecode_Bad_ReturnsNullWithReason(string json, string reason)
    {
        Assert.Null(LockRecordCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_WithoutPidNamespace_DefaultsToEmpty()
    {
        var json = Encoding.UTF8.GetString(LockRecordCodec.Encode(Sample)).Replace(",\"pid_namespace\":\"pid:[4026531836]\"", string.Empty, StringComparison.Ordinal);
        Assert.Equal(string.Empty, LockRecordCodec.TryDecode(Encoding.UTF8.GetBytes(json), out _)!.PidNamespace);
    }
}
