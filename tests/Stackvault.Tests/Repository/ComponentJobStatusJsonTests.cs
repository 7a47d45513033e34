using System.Text.Json;
using Stackvault.Jobs;
using Stackvault.Repository.Model;
using Stackvault.Telemetry;

namespace Stackvault.Tests.Repository;

/// <summary>
/// The typed component and job statuses keep the strings the manifest, the status file and <c>--json</c> output had
/// when they were strings; integers and unknown names are refused.
/// </summary>
public class ComponentJobStatusJsonTests
{
    [Theory]
    [InlineData(ComponentStatus.Complete, "complete")]
    [InlineData(ComponentStatus.Partial, "partial")]
    [InlineData(ComponentStatus.Failed, "failed")]
    public void ComponentSection_Status_InTheManifest_IsItsLowerCaseName(ComponentStatus status, string name)
    {
        var snapshot = new Snapshot { Time = DateTimeOffset.UnixEpoch, Components = [new ComponentSection { Name = "c", Status = status }] };
        var json = JsonSerializer.Serialize(snapshot, ModelJsonContext.Default.Snapshot);
        Assert.Contains($"\"status\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Equal(status, JsonSerializer.Deserialize(json, ModelJsonContext.Default.Snapshot)!.Components![0].Status);
        Assert.Equal(name, status.Name());
    }

    [Theory]
    [InlineData("\"done\"")]
    [InlineData("2")]
    public void ComponentSection_UnknownStatus_IsNotValidJson(string value) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($"{{\"version\":1,\"components\":[{{\"name\":\"c\",\"status\":{value}}}]}}", ModelJsonContext.Default.Snapshot));

    [Fact]
    public void JobOutcome_InTheStatusFile_WritesAndReadsTheSameStrings()
    {
        var outcome = new JobOutcome("j", "main", JobStatus.Partial, DateTimeOffset.UnixEpoch, 1, "id", 1, 1,
            [new ComponentOutcome("c", "files", ComponentStatus.Failed, 0, 0, "boom")], null);
        var json = JsonSerializer.Serialize(outcome, StatusStore.JsonOptions);
        Assert.Contains("\"status\": \"partial\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"failed\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<JobOutcome>(json, StatusStore.JsonOptions)!;
        Assert.Equal((JobStatus.Partial, ComponentStatus.Failed), (back.Status, back.Components[0].Status));
        Assert.Equal(["success", "partial", "failure"], JobStatuses.All.Select(s => s.Name()));
    }
}
