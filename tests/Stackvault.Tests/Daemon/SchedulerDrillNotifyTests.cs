using Stackvault.Configuration;
using Stackvault.Daemon;
using Stackvault.Notifications;
using Stackvault.Telemetry;
using Stackvault.Tests.Notifications;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Daemon;

/// <summary>The scheduler tells the notification targets about a drill that failed (the drill runner records it), not one that passed.</summary>
public sealed class SchedulerDrillNotifyTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task Scheduler_DrillRecordedFailed_NotifiesFailure_PassedSendsNothing(bool passes, int expected)
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var (config, problems) = ConfigLoader.LoadFromText($$"""
            repositories:
              r: { url: {{temp.Sub("repo")}}, password: x }
            components:
              c: { type: files, paths: [/etc/hostname] }
            jobs:
              drilled: { repository: r, components: [c], drill: { schedule: "@every 1s" } }
            notifications:
              hook: { url: "generic+{{receiver.BaseUrl}}/hook", on: [failure, partial, success] }
            """, "test.yaml", _ => null);
        Assert.True(config is not null, string.Join("; ", problems));
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        using var notifier = Notifier.FromConfig(config);
        var drills = 0;
        using var stop = new CancellationTokenSource();
        var scheduler = new Scheduler(new DaemonOptions
        {
            Config = config,
            OpenRepository = (_, _) => throw new InvalidOperationException("no backups here"),
            Store = store,
            Notifier = notifier,
            ShutdownGrace = TimeSpan.FromSeconds(10),
            Drill = (job, _) =>
            {
                store.RecordDrill(job.Name, passes, 12.5, TimeProvider.System.GetUtcNow());
                if (Interlocked.Increment(ref drills) >= 2)
                {
                    stop.Cancel();
                }

                return ValueTask.CompletedTask;
            },
        });

        await scheduler.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(60));

        var posts = receiver.Requests.ToList();
        Assert.True(posts.Count >= expected && (expected > 0 || posts.Count == 0), $"{posts.Count} notifications");
        Assert.All(posts, p =>
        {
            Assert.Equal(("drilled", "failure"), (p.Json.GetProperty("job").GetString(), p.Json.GetProperty("status").GetString()));
            Assert.StartsWith("scheduled drill failed: ", p.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        });
    }
}
