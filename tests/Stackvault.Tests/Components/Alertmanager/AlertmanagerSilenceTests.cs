using Stackvault.Components.Alertmanager;
using Stackvault.Errors;

namespace Stackvault.Tests.Components.Alertmanager;

/// <summary>
/// The silence listing as parsed from an untrusted file or answer, which silences count as in force, and the
/// duplicate rule that keeps a second <c>am-restore</c> from creating anything.
/// </summary>
public sealed class AlertmanagerSilenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static string Listing(string state, string startsAt, string endsAt, string comment = "c", string matchers = """[{"name":"a","value":"b","isRegex":false}]""") =>
        $$"""[{"id":"x1","status":{"state":"{{state}}"},"updatedAt":"2026-12-02T09:00:00Z","matchers":{{matchers}},"startsAt":"{{startsAt}}","endsAt":"{{endsAt}}","createdBy":"ops","comment":"{{comment}}"}]""";

    [Theory]
    [InlineData("{}", "expected a JSON array")]
    [InlineData("[{\"id\":\"x\"", "not JSON")]
    [InlineData("""[{"id":"x","status":{"state":"active"},"startsAt":"2026-12-02T09:00:00Z","endsAt":"2026-12-02T11:00:00Z"}]""", "silence #1 is malformed (no matchers)")]
    [InlineData("""[{"id":"x","status":{"state":"active"},"matchers":[],"startsAt":"yesterday","endsAt":"2026-12-02T11:00:00Z"}]""", "silence #1 is malformed")]
    [InlineData("""[{"id":7,"matchers":[],"startsAt":"2026-12-02T09:00:00Z","endsAt":"2026-12-02T11:00:00Z"}]""", "silence #1 is malformed")]
    public void ParseList_Malformed_IsRefusedWithOneLine(string json, string expected)
    {
        var error = Assert.ThrowsAny<StackvaultException>(() => Silence.ParseList(json, "f.json"));
        Assert.StartsWith("f.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("active", "2026-12-02T11:00:00Z", true)]
    [InlineData("pending", "2026-12-02T11:00:00Z", true)]
    [InlineData("expired", "2026-12-02T11:00:00Z", false)]
    [InlineData("active", "2026-12-02T09:59:59Z", false)]
    public void InForce_NeedsAFutureEndAndActiveOrPending(string state, string endsAt, bool expected) =>
        Assert.Equal(expected, Assert.Single(Silence.ParseList(Listing(state, "2026-12-02T09:00:00Z", endsAt), "f")).InForce(Now));

    [Fact]
    public void SameAs_StartedSilenceRecreatedNow_IsTheSame_ButAnyOtherFieldDiffers()
    {
        var backup = Assert.Single(Silence.ParseList(Listing("active", "2026-12-02T09:00:00Z", "2026-12-02T11:00:00Z"), "f"));
        // Alertmanager moves a past startsAt to the moment of creation; the matcher's isEqual defaults to true.
        var recreated = Assert.Single(Silence.ParseList(Listing("active", "2026-12-02T09:59:00.123Z", "2026-12-02T11:00:00.000Z",
            matchers: """[{"name":"a","value":"b","isRegex":false,"isEqual":true}]"""), "f"));
        Assert.True(backup.SameAs(recreated, Now));

        Assert.False(backup.SameAs(Assert.Single(Silence.ParseList(Listing("active", "2026-12-02T09:00:00Z", "2026-12-02T12:00:00Z"), "f")), Now));
        Assert.False(backup.SameAs(Assert.Single(Silence.ParseList(Listing("active", "2026-12-02T09:00:00Z", "2026-12-02T11:00:00Z", comment: "other"), "f")), Now));
        Assert.False(backup.SameAs(Assert.Single(Silence.ParseList(Listing("active", "2026-12-02T09:00:00Z", "2026-12-02T11:00:00Z",
            matchers: """[{"name":"a","value":"b","isRegex":true}]"""), "f")), Now));

        var pending = Assert.Single(Silence.ParseList(Listing("pending", "2026-12-02T10:30:00Z", "2026-12-02T11:00:00Z"), "f"));
        Assert.False(pending.SameAs(recreated, Now));
    }
}
