using System.Text.Json;
using Stackvault.Repository.Model;

namespace Stackvault.Tests.Repository;

/// <summary>The typed snapshot status keeps its documented spelling (docs/design.md 11.2) and refuses anything else.</summary>
public class SnapshotStatusJsonTests
{
    [Theory]
    [InlineData(SnapshotStatus.Complete, "complete")]
    [InlineData(SnapshotStatus.Partial, "partial")]
    public void Snapshot_Status_IsWrittenAsItsLowerCaseNameAndReadBack(SnapshotStatus status, string name)
    {
        var json = JsonSerializer.Serialize(new Snapshot { Time = DateTimeOffset.UnixEpoch, Status = status }, ModelJsonContext.Default.Snapshot);
        Assert.Contains($"\"status\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Equal(status, JsonSerializer.Deserialize(json, ModelJsonContext.Default.Snapshot)!.Status);
        Assert.Equal(name, status.Name());
    }

    [Fact]
    public void Snapshot_StatusAbsent_IsComplete() =>
        Assert.Equal(SnapshotStatus.Complete, JsonSerializer.Deserialize("{\"version\":1}", ModelJsonContext.Default.Snapshot)!.Status);

    [Theory]
    [InlineData("\"failed\"")]
    [InlineData("1")]
    public void Snapshot_UnknownStatus_IsNotValidJson(string value) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($"{{\"version\":1,\"status\":{value}}}", ModelJsonContext.Default.Snapshot));
}
