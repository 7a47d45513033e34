using System.Net;
using System.Text;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>
/// A Prometheus (or something in its place) that answers the snapshot call with a hostile or unexpected body:
/// nothing outside &lt;data_dir&gt;/snapshots/&lt;name&gt; is ever deleted.
/// </summary>
public sealed class PrometheusSnapshotNameTests : IDisposable
{
    private readonly TempDirectory _root = new("sv-prom-name");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../victim")]
    [InlineData("a/../../victim")]
    [InlineData("/tmp")]
    [InlineData("")]
    [InlineData("name\nwith newline")]
    public async Task A_name_that_is_not_plain_is_refused_and_nothing_is_deleted(string name)
    {
        var data = Directory.CreateDirectory(_root.Sub("data")).FullName;
        Directory.CreateDirectory(Path.Join(data, "snapshots"));
        var victim = Directory.CreateDirectory(_root.Sub("victim")).FullName;
        File.WriteAllText(Path.Join(victim, "precious"), "x");
        var json = System.Text.Json.JsonSerializer.Serialize(name);
        var client = Client(HttpStatusCode.OK, "{\"status\":\"success\",\"data\":{\"name\":" + json + "}}");

        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => PrometheusSnapshot.CreateAsync(client, data, false, CancellationToken.None));

        Assert.Contains("not a plain directory name", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(File.Exists(Path.Join(victim, "precious")));
        Assert.True(Directory.Exists(Path.Join(data, "snapshots")));
    }

    [Fact]
    public async Task A_snapshot_that_is_not_under_the_data_directory_given_is_a_clear_error()
    {
        var client = Client(HttpStatusCode.OK, """{"status":"success","data":{"name":"20261121T064340Z-441337006f0e7a42"}}""");

        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => PrometheusSnapshot.CreateAsync(client, _root.Sub("elsewhere"), false, CancellationToken.None));

        Assert.Contains("--storage.tsdb.path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_directory_that_is_a_symlink_is_unlinked_without_following_it()
    {
        var data = Directory.CreateDirectory(_root.Sub("data")).FullName;
        var victim = Directory.CreateDirectory(_root.Sub("victim")).FullName;
        File.WriteAllText(Path.Join(victim, "precious"), "x");
        Directory.CreateDirectory(Path.Join(data, "snapshots"));
        Directory.CreateSymbolicLink(Path.Join(data, "snapshots", "snap"), victim);
        var client = Client(HttpStatusCode.OK, """{"status":"success","data":{"name":"snap"}}""");

        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => PrometheusSnapshot.CreateAsync(client, data, false, CancellationToken.None));

        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Join(data, "snapshots", "snap")));
        Assert.True(File.Exists(Path.Join(victim, "precious")));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "404 page not found")]
    [InlineData(HttpStatusCode.InternalServerError, """{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}""")]
    public async Task Admin_api_missing_answers_map_to_the_flag(HttpStatusCode status, string body)
    {
        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => Client(status, body).CreateSnapshotAsync(false, CancellationToken.None));

        Assert.Contains("--web.enable-admin-api", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_an_api_answer_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAnyAsync<StackvaultException>(() => Client(HttpStatusCode.OK, "<html>login</html>").CreateSnapshotAsync(false, CancellationToken.None));

        Assert.Contains("is this Prometheus?", ex.Message, StringComparison.Ordinal);
    }

    private static PrometheusClient Client(HttpStatusCode status, string body) =>
        new(new HttpClient(new StubHandler(status, body)), new Uri("http://prometheus.invalid:9090"), TimeProvider.System);

    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
