using System.Text.Json;
using Stackvault.Daemon;
using Stackvault.Telemetry;
using Stackvault.Tests.Crypto;

namespace Stackvault.Tests.Telemetry;

/// <summary>Log lines: text and JSON Lines forms, level filtering; the daemon's --listen parsing.</summary>
public sealed class LogTests
{
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2025, 6, 1, 2, 3, 4, TimeSpan.Zero));

    [Fact]
    public void Write_Json_OneParseableObjectPerLine_WithFields()
    {
        using var writer = new StringWriter();
        var log = new Log(writer, json: true, LogSeverity.Info, Clock);
        log.Info("run finished", ("job", "nightly"), ("status", "success"), ("duration_seconds", 1.5), ("error", "a \"quoted\"\nline"));
        log.Warn("missed run", ("job", "nightly"), ("count", 2));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(("2025-06-01T02:03:04.000Z", "info", "run finished", "nightly", 1.5, "a \"quoted\"\nline"),
            (first.GetProperty("time").GetString(), first.GetProperty("level").GetString(), first.GetProperty("msg").GetString(),
             first.GetProperty("job").GetString(), first.GetProperty("duration_seconds").GetDouble(), first.GetProperty("error").GetString()));
        Assert.Equal(("warn", 2), (JsonDocument.Parse(lines[1]).RootElement.GetProperty("level").GetString(), JsonDocument.Parse(lines[1]).RootElement.GetProperty("count").GetInt32()));
    }

    [Fact]
    public void Write_Text_KeyValues_QuotedWhenNeeded_NullsLeftOut()
    {
        using var writer = new StringWriter();
        new Log(writer, json: false, LogSeverity.Info, Clock).Error("run finished", ("job", "nightly"), ("snapshot", null), ("error", "disk full"));
        Assert.Equal("2025-06-01T02:03:04.000Z error run finished job=nightly error=\"disk full\"\n", writer.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LogSeverity.Info, 3)]
    [InlineData(LogSeverity.Verbose, 4)]
    [InlineData(LogSeverity.Debug, 5)]
    [InlineData(LogSeverity.Warning, 2)]
    public void Write_BelowMinimum_IsDropped(LogSeverity minimum, int expected)
    {
        using var writer = new StringWriter();
        var log = new Log(writer, json: false, minimum, Clock);
        log.Debug("d");
        log.Verbose("v");
        log.Info("i");
        log.Warn("w");
        log.Error("e");
        Assert.Equal(expected, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("127.0.0.1:9464", "http://127.0.0.1:9464/")]
    [InlineData("0.0.0.0:9000", "http://+:9000/")]
    [InlineData(":9000", "http://+:9000/")]
    [InlineData("[::1]:9464", "http://[::1]:9464/")]
    public void ListenAddress_Parse_Prefix(string text, string prefix) => Assert.Equal(prefix, ListenAddress.Parse(text).Prefix);

    [Theory]
    [InlineData("9464")]
    [InlineData("localhost:http")]
    [InlineData("127.0.0.1:70000")]
    public void ListenAddress_Bad_IsUsageError(string text) =>
        Assert.Equal(Stackvault.Errors.ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(Assert.ThrowsAny<Stackvault.Errors.StackvaultException>(() => ListenAddress.Parse(text))).Code);
}
