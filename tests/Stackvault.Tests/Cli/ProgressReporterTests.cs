using System.Text.Json;
using Stackvault.Cli.Output;
using Stackvault.Progress;
using Stackvault.Tests.Locking;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>The shared progress reporter: percent, bytes, rate and ETA on a terminal; restic-shaped status lines under --json.</summary>
public class ProgressReporterTests
{
    [Fact]
    public void PercentDone_ByBytesWhenKnown_ElseByFiles_ElseUnknown()
    {
        Assert.Equal(0.25, new ProgressSnapshot(9, 250, 0, 10, 1000, null).PercentDone);
        Assert.Equal(0.9, new ProgressSnapshot(9, 250, 0, 10, -1, null).PercentDone);
        Assert.Null(new ProgressSnapshot(9, 250, 0, -1, -1, null).PercentDone);
        Assert.Equal(1.0, new ProgressSnapshot(0, 0, 0, 0, 0, null).PercentDone);
        Assert.Equal(1.0, new ProgressSnapshot(3, 2000, 0, 2, 1000, null).PercentDone); // a growing file never shows past 100 %
    }

    [Fact]
    public void Line_ShowsPercentBarBytesRateAndEta()
    {
        var s = new ProgressSnapshot(120, 300L << 20, 0, 400, 1200L << 20, "/data/x");
        var line = ProgressFormat.Line("restore", s, TimeSpan.FromSeconds(10), 120);
        Assert.StartsWith("[0:10] restore 25.0% [###.......] 300.00 MiB / 1.17 GiB, 30.00 MiB/s, ETA 0:30, 120 / 400 files", line, StringComparison.Ordinal);
        Assert.Equal(120, line.Length);
        Assert.Equal(40, ProgressFormat.Line(null, s, TimeSpan.FromSeconds(10), 40).Length);
    }

    [Fact]
    public void Line_WithoutTotals_ShowsNoPercentAndNoEta()
    {
        var line = ProgressFormat.Line(null, new ProgressSnapshot(3, 1024, 2, -1, -1, null), TimeSpan.FromSeconds(2), 100);
        Assert.Equal("[0:02] 1.00 KiB, 512 B/s, 3 files, 2 errors", line.TrimEnd());
    }

    [Fact]
    public void Status_IsResticShaped()
    {
        var status = ProgressFormat.Status("verify", new ProgressSnapshot(5, 500, 1, 10, 2000, "pack/ab"), TimeSpan.FromSeconds(4));
        var json = JsonSerializer.SerializeToElement(status, CliOutput.JsonOptions);
        Assert.Equal(0.25, json.GetProperty("percent_done").GetDouble());
        Assert.Equal(4, json.GetProperty("seconds_elapsed").GetInt64());
        Assert.Equal(12, json.GetProperty("seconds_remaining").GetInt64());
        Assert.Equal(500, json.GetProperty("bytes_done").GetInt64());
        Assert.Equal(2000, json.GetProperty("total_bytes").GetInt64());
        Assert.Equal(5, json.GetProperty("files_done").GetInt64());
        Assert.Equal(10, json.GetProperty("total_files").GetInt64());
        Assert.Equal(1, json.GetProperty("error_count").GetInt64());
        Assert.Equal("verify", json.GetProperty("action").GetString());
        Assert.Equal("pack/ab", json.GetProperty("current_files")[0].GetString());
    }

    [Fact]
    public void JsonMode_EmitsStatusEveryTwoSeconds_AndALastOneOnStop()
    {
        var time = new ManualTimeProvider();
        var progress = new OperationProgress();
        progress.SetTotals(4, 4000);
        var lines = new List<ProgressStatus>();
        using var display = new ProgressDisplay(progress, time, "restore", terminal: null, lines.Add);
        progress.AddFile(1000);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(lines);
        time.Advance(TimeSpan.FromSeconds(1));
        var first = Assert.Single(lines);
        Assert.Equal(0.25, first.PercentDone);
        Assert.Equal(6, first.SecondsRemaining);
        progress.AddFile(3000);
        display.Stop();
        display.Stop();
        Assert.Equal(2, lines.Count);
        Assert.Equal(1.0, lines[1].PercentDone);
        Assert.Equal(0, lines[1].SecondsRemaining);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void TerminalMode_RedrawsTheBar_AndClearsItOnStop()
    {
        var time = new ManualTimeProvider();
        var progress = new OperationProgress();
        progress.SetTotals(2, 2 << 20);
        var terminal = new StringWriter();
        using var display = new ProgressDisplay(progress, time, "verify", terminal, status: null);
        progress.AddBytes(1 << 20);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Contains("verify 50.0% [#####.....] 1.00 MiB / 2.00 MiB, 2.00 MiB/s, ETA 0:00", terminal.ToString(), StringComparison.Ordinal);
        display.Stop();
        Assert.EndsWith("\r", terminal.ToString(), StringComparison.Ordinal);
        var length = terminal.ToString().Length;
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(length, terminal.ToString().Length);
    }

    /// <summary>Through the CLI: `backup --json` ends its progress with a status line at 100 % before the summary.</summary>
    [Fact]
    public async Task BackupJson_EndsWithAStatusLineAtOneHundredPercent()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(17);
        for (var i = 0; i < 5; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), 300_000, compressible: true);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var result = await cli.RunOkAsync("backup", source, "--json");
        var status = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("message_type").GetString() == "status");
        Assert.Equal(1.0, status.GetProperty("percent_done").GetDouble());
        Assert.Equal(5, status.GetProperty("files_done").GetInt64());
        Assert.Equal(1_500_000, status.GetProperty("bytes_done").GetInt64());
        Assert.Equal("backup", status.GetProperty("action").GetString());
        Assert.Equal("summary", result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message_type").GetString()).Last());
    }

    /// <summary>
    /// A no-change backup reads nothing but still finishes at 100 %: unchanged files count as done bytes, while the
    /// summary's bytes_read stays what was really read.
    /// </summary>
    [Fact]
    public async Task NoChangeBackupJson_ReachesOneHundredPercent_AndReadsNothing()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(23);
        for (var i = 0; i < 4; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), 250_000, compressible: true);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var result = await cli.RunOkAsync("backup", source, "--json");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var status = lines.Last(e => e.GetProperty("message_type").GetString() == "status");
        Assert.Equal(1.0, status.GetProperty("percent_done").GetDouble());
        Assert.Equal(1_000_000, status.GetProperty("bytes_done").GetInt64());
        Assert.Equal(0, result.Message("summary").GetProperty("bytes_read").GetInt64());
    }

    [Fact]
    public async Task Counters_FromManyThreads_AddUp()
    {
        var progress = new OperationProgress();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                progress.AddBytes(3);
                progress.AddFile(1);
            }
        })));
        Assert.Equal(80_000, progress.Files);
        Assert.Equal(320_000, progress.Bytes);
        progress.Finish();
        Assert.Equal(1.0, progress.Snapshot().PercentDone);
    }
}
