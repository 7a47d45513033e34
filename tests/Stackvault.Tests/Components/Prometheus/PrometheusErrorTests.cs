using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>Admin API disabled on a real Prometheus 2.42, and no Prometheus at all: clear one-line errors.</summary>
[Collection(PrometheusWithoutAdminApiCollection.Name)]
public sealed class PrometheusErrorTests(PrometheusWithoutAdminApiFixture server)
{
    [Fact]
    public async Task Admin_api_disabled_says_to_start_prometheus_with_the_flag()
    {
        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(
            () => PrometheusSnapshot.CreateAsync(server.Client, server.DataDirectory, skipHead: false, CancellationToken.None));

        // Prometheus 2.42 answers 500 {"status":"error","errorType":"unavailable","error":"admin APIs disabled"}.
        Assert.Equal($"Prometheus at {server.Url} has its admin API disabled (HTTP 500): start Prometheus with --web.enable-admin-api to allow TSDB snapshots", ex.Message);
        Assert.False(Directory.Exists(Path.Join(server.DataDirectory, "snapshots")));
    }

    [Fact]
    public async Task Prometheus_not_running_is_cannot_reach()
    {
        var port = PrometheusServerFixture.FreePort();
        using var http = new HttpClient();
        var client = new PrometheusClient(http, new Uri($"http://127.0.0.1:{port}"), TimeProvider.System);

        var snapshot = await Assert.ThrowsAnyAsync<StackvaultException>(() => client.CreateSnapshotAsync(false, CancellationToken.None));
        var ready = await Assert.ThrowsAnyAsync<StackvaultException>(() => client.ReadyAsync(CancellationToken.None));

        Assert.StartsWith($"cannot reach Prometheus at http://127.0.0.1:{port}/: ", snapshot.Message, StringComparison.Ordinal);
        Assert.Contains("refused", snapshot.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', snapshot.Message);
        Assert.StartsWith("cannot reach Prometheus at", ready.Message, StringComparison.Ordinal);
    }
}
