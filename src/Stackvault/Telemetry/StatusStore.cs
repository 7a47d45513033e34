using System.Text.Json;
using Stackvault.Errors;

namespace Stackvault.Telemetry;

/// <summary>
/// Reads and updates <c>status.json</c> in the state directory. Every update is read-modify-write under an
/// exclusive lock on <c>status.lock</c> (the daemon and one-shot runs may write at once), saved atomically.
/// </summary>
public sealed partial class StatusStore
{
    public const string FileName = "status.json";

    /// <summary>
    /// The options of status.json and the status report: snake_case, nulls left out, indented, relaxed escaping;
    /// resolved by the source-generated <see cref="StatusJsonContext"/> (no reflection).
    /// </summary>
    internal static JsonSerializerOptions JsonOptions => StatusJsonContext.Instance.Options;

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public StatusStore(string directory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Path.GetFullPath(directory);
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, FileName);

    /// <summary>The recorded state; an empty one when the file does not exist yet.</summary>
    public StatusFile Load()
    {
        if (!File.Exists(Path))
        {
            return new StatusFile();
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(Path), StatusJsonContext.Instance.StatusFile) ?? new StatusFile();
            return file.Version > StatusFile.CurrentVersion
                ? throw new StackvaultException($"{Path} has version {file.Version}; this Stackvault reads up to {StatusFile.CurrentVersion}")
                : file;
        }
        catch (JsonException e)
        {
            throw new StackvaultException($"{Path} is not a valid status file ({e.Message}); move it away to start afresh");
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current state and saves it, under the store's file lock.</summary>
    public StatusFile Update(Action<StatusFile> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var fileLock = AcquireFileLock();
            var state = Load();
            change(state);
            state.UpdatedAt = _time.GetUtcNow();
            AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(state, StatusJsonContext.Instance.StatusFile));
            return state;
        }
    }

    private FileStream AcquireFileLock()
    {
        var lockPath = System.IO.Path.Combine(Directory, "status.lock");
        var deadline = Environment.TickCount64 + (long)LockWait.TotalMilliseconds; // real time: another process holds it
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
