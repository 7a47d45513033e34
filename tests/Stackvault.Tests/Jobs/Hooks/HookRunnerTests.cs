using System.Net;
using System.Net.Sockets;
using Stackvault.Configuration;
using Stackvault.Jobs.Hooks;

namespace Stackvault.Tests.Jobs.Hooks;

public sealed class HookRunnerTests
{
    [Fact]
    public void HttpHook_IsDescribedWithoutUserinfoOrQuery()
    {
        var hook = new HttpHook(1, null, false, new Uri("https://user:pw@hc.example:8443/ping/abc?token=s3cret#x"), "POST");
        Assert.Equal("POST https://hc.example:8443/ping/abc", HookRunner.Describe(hook));
    }

    [Fact]
    public async Task HttpHook_NoListener_FailsWithoutTheQuery()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var http = new HttpClient();
        var hook = new HttpHook(1, TimeSpan.FromSeconds(5), false, new Uri($"http://127.0.0.1:{port}/x?key=s3cret"), "PUT");
        var error = await new HookRunner(http).RunAsync(hook, CancellationToken.None);
        Assert.Equal($"PUT http://127.0.0.1:{port}/x failed: ConnectionError", error);
    }

    [Fact]
    public async Task CommandHook_MissingProgram_FailsWithItsNameOnly()
    {
        using var http = new HttpClient();
        var hook = new CommandHook(1, null, false, CommandSpec.Argv(["/nonexistent/prog", "s3cret"]));
        var error = await new HookRunner(http).RunAsync(hook, CancellationToken.None);
        Assert.StartsWith("prog could not start", error);
        Assert.DoesNotContain("s3cret", error);
    }
}
