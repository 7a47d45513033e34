using Stackvault.Errors;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>The client against a real Prometheus 2.42 that scrapes itself every second.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusClientTests(PrometheusServerFixture server)
{
    [Fact]
    public async Task BuildInfo_reports_the_installed_2_42()
    {
        var info = await server.Client.BuildInfoAsync(CancellationToken.None);

        Assert.StartsWith("2.42.", info.Version, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(info.Revision));
    }

    [Fact]
    public async Task Ready_is_true_once_started()
    {
        Assert.True(await server.Client.ReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QueryRange_returns_the_scraped_up_samples()
    {
        await server.WaitForScrapesAsync(3);
        var end = DateTimeOffset.UtcNow;
        var start = end.AddMinutes(-5);

        var series = await server.Client.QueryRangeAsync("up", start, end, TimeSpan.FromSeconds(1), CancellationToken.None);

        var up = Assert.Single(series);
        Assert.Equal("up", up.Labels["__name__"]);
        Assert.Equal("prometheus", up.Labels["job"]);
        Assert.Equal($"{server.Url.Host}:{server.Url.Port}", up.Labels["instance"]);
        Assert.True(up.Samples.Count >= 3, $"{up.Samples.Count} samples");
        Assert.All(up.Samples, s => Assert.Equal(1.0, s.Value));
        Assert.All(up.Samples, s => Assert.InRange(s.Timestamp, start.AddSeconds(-1), end.AddSeconds(1)));
        for (var i = 1; i < up.Samples.Count; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), up.Samples[i].Timestamp - up.Samples[i - 1].Timestamp);
        }
    }

    [Fact]
    public async Task Query_returns_one_sample_per_series_and_a_scalar()
    {
        await server.WaitForScrapesAsync(1);

        var up = Assert.Single(await server.Client.QueryAsync("up", null, CancellationToken.None));
        var scalar = Assert.Single(await server.Client.QueryAsync("scalar(up) * 2 + 0.5", null, CancellationToken.None));

        Assert.Equal(1.0, Assert.Single(up.Samples).Value);
        Assert.Equal(2.5, Assert.Single(scalar.Samples).Value);
        Assert.Empty(scalar.Labels);
    }

    [Fact]
    public async Task A_bad_query_is_a_one_line_error_with_the_prometheus_message()
    {
        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => server.Client.QueryAsync("up{", null, CancellationToken.None));

        Assert.Contains("bad_data", ex.Message, StringComparison.Ordinal);
        Assert.Contains("parse error", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
