using System.Diagnostics;
using Stackvault.Locking;
using Stackvault.Storage;
using Stackvault.Storage.Local;

namespace Stackvault.Tests.Locking;

/// <summary>A LocalStorage repository in a temp directory plus helpers to make lock managers of several "processes".</summary>
internal sealed class LockTestRepository : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sv-locks-").FullName;

    public LockTestRepository()
    {
        Storage = new LocalStorage(new LocalStorageOptions(_dir) { Fsync = false });
        Storage.CreateLayoutAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public LocalStorage Storage { get; }

    public ManualTimeProvider Time { get; } = new();

    /// <summary>A manager for this process, on host "host-a".</summary>
    public LockManager Manager(LockOptions? options = null, TimeProvider? time = null, IStorage? storage = null) =>
        new(storage ?? Storage, (options ?? new LockOptions()) with { Hostname = (options?.Hostname) ?? "host-a", PidNamespace = "pid:[1]" }, time ?? Time);

    /// <summary>A manager posing as a process that has exited, on host "host-a".</summary>
    public LockManager DeadProcessManager() => Manager(new LockOptions { Pid = ReapedPid(), ProcessStart = 12345 });

    /// <summary>A manager on another host, optionally with its own clock.</summary>
    public LockManager OtherHostManager(TimeProvider? time = null, LockOptions? options = null) =>
        Manager((options ?? new LockOptions()) with { Hostname = "host-b", Pid = 4242, ProcessStart = 1 }, time);

    /// <summary>Writes a lock object directly, as another process would, without a heartbeat behind it.</summary>
    public async Task<ObjectHandle> PlantAsync(bool exclusive, string operation, string hostname, int pid = 4242)
    {
        var name = LockManager.NewLockName();
        var now = Time.GetUtcNow();
        var record = new LockRecord(1, exclusive, operation, hostname, pid, 1, "someone", now, now, 120, 0, name, "pid:[1]");
        var handle = new ObjectHandle(ObjectKind.Lock, name);
        await Storage.SaveAsync(handle, LockRecordCodec.Encode(record), CancellationToken.None);
        return handle;
    }

    public async Task<List<LockInfo>> ListAsync()
    {
        var result = new List<LockInfo>();
        await foreach (var info in Manager().ListAsync(CancellationToken.None))
        {
            result.Add(info);
        }

        return result;
    }

    public async Task<List<ObjectHandle>> LockObjectsAsync()
    {
        var result = new List<ObjectHandle>();
        await foreach (var info in Storage.ListAsync(ObjectKind.Lock, CancellationToken.None))
        {
            result.Add(info.Handle);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static int ReapedPid()
    {
        using var child = Process.Start("true")!;
        child.WaitForExit();
        return child.Id;
    }
}
