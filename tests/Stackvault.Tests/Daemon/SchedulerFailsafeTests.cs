using System.Text.Json;
using Stackvault.Configuration;
using Stackvault.Daemon;
using Stackvault.Telemetry;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Daemon;

/// <summary>The daemon rewrites the failsafe export after each of its runs (here a scheduled drill) with what the run recorded.</summary>
public sealed class SchedulerFailsafeTests
{
    [Fact]
    public async Task Scheduler_AfterADrill_WritesTheFailsafeExportWithTheDrill()
    {
        using var temp = new TempDirectory();
        var export = temp.Sub("grafana/failsafe.json");
        var (config, problems) = ConfigLoader.LoadFromText($$"""
            repositories:
              r: { url: {{temp.Sub("repo")}}, password: x }
            components:
              c: { type: files, paths: [/etc/hostname] }
            jobs:
              drilled: { repository: r, components: [c], rpo: 1h, rto: 10m, drill: { schedule: "@every 1s" } }
            failsafe: { path: {{export}} }
            """, "test.yaml", _ => null);
        Assert.True(config is not null, string.Join("; ", problems));
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var scheduler = new Scheduler(new DaemonOptions
        {
            Config = config,
            OpenRepository = (_, _) => throw new InvalidOperationException("no backups here"),
            Store = store,
            ShutdownGrace = TimeSpan.FromSeconds(10),
            Drill = (job, _) =>
            {
                store.RecordDrill(job.Name, success: true, 42, TimeProvider.System.GetUtcNow(), job.Rto.TargetSeconds(anyData: false), rtoMet: true);
                return ValueTask.CompletedTask;
            },
        });

        var running = scheduler.RunAsync(stop.Token);
        await SchedulerHarness.WaitAsync(() => File.Exists(export), "the failsafe export");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        var job = JsonDocument.Parse(File.ReadAllText(export)).RootElement.GetProperty("jobs")[0];
        Assert.Equal("drilled", job.GetProperty("job").GetString());
        Assert.Equal((42.0, 600.0, true), (job.GetProperty("drill").GetProperty("rto_seconds").GetDouble(), job.GetProperty("drill").GetProperty("rto_target_seconds").GetDouble(), job.GetProperty("drill").GetProperty("rto_met").GetBoolean()));
        Assert.Equal("never_succeeded", job.GetProperty("rpo_state").GetString());
        Assert.False(job.GetProperty("ok").GetBoolean());
    }
}
