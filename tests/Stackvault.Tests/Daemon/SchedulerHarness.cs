using System.Collections.Concurrent;
using Stackvault.Configuration;
using Stackvault.Daemon;
using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Locking;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Daemon;

/// <summary>
/// A <see cref="Scheduler"/> on a <see cref="ManualTimeProvider"/> whose backups are fakes: each run waits for the
/// test to release it, so overlap, serialization and shutdown can be driven step by step.
/// </summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("sv-sched");
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private int _concurrent;

    public SchedulerHarness(string jobsYaml, Action<StatusStore>? seed = null, DateTimeOffset? start = null)
    {
        Time = new ManualTimeProvider(start ?? new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var (config, problems) = ConfigLoader.LoadFromText($"""
            repositories:
              r1: {"{"} url: /tmp/r1, password: x {"}"}
              r2: {"{"} url: /tmp/r2, password: x {"}"}
            components:
              c: {"{"} type: files, paths: [/etc] {"}"}
            jobs:
            {jobsYaml}
            """, "test.yaml", _ => null);
        Assert.True(config is not null, string.Join("; ", problems));
        Store = new StatusStore(_temp.Path, Time);
        seed?.Invoke(Store);
        Scheduler = new Scheduler(new DaemonOptions
        {
            Config = config,
            OpenRepository = (_, _) => throw new InvalidOperationException("fake runs open nothing"),
            Store = Store,
            Time = Time,
            Random = new Random(7),
            ShutdownGrace = TimeSpan.FromSeconds(20),
            RunJob = RunAsync,
        });
    }

    public ManualTimeProvider Time { get; }

    public StatusStore Store { get; }

    public Scheduler Scheduler { get; }

    public ConcurrentQueue<(string Job, string Trigger)> Started { get; } = new();

    public int MaxConcurrent { get; private set; }

    public Task Running { get; private set; } = Task.CompletedTask;

    public void Start() => Running = Scheduler.RunAsync(_stop.Token);

    public Task StopAsync() => _stop.CancelAsync();

    /// <summary>Lets the current run of <paramref name="job"/> finish.</summary>
    public void Release(string job) => _gates.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits until the scheduler sleeps again, then advances the clock.</summary>
    public Task StepAsync(TimeSpan by) => Time.AdvanceWhenWaitingAsync(by);

    public static Task WaitAsync(Func<bool> condition, string what) => ManualTimeProvider.WaitUntilAsync(condition, what);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }

        _stop.Dispose();
        _temp.Dispose();
    }

    private async ValueTask<JobOutcome> RunAsync(JobSelection selection, JobPipelineOptions options, CancellationToken cancellationToken)
    {
        var job = selection.Job!.Name;
        var now = Interlocked.Increment(ref _concurrent);
        MaxConcurrent = Math.Max(MaxConcurrent, now);
        Started.Enqueue((job, options.Trigger));
        try
        {
            var gate = _gates.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await gate.Task.WaitAsync(cancellationToken);
            _gates.TryRemove(job, out _);
            var outcome = new JobOutcome(job, selection.Job.Repository, JobStatus.Success, Time.GetUtcNow(), 1, "abc", 10, 5, [], null) { Trigger = options.Trigger };
            Store.RecordRun(outcome);
            return outcome;
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }
}
