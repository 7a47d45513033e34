using System.Text.Json;
using Stackvault.Errors;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Repository;

public sealed partial class Repository
{
    /// <summary>Writes the snapshot manifest: the commit point of a backup. Data and index must be saved first.</summary>
    public async ValueTask<ObjectId> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = Documents.Encode(JsonSerializer.SerializeToUtf8Bytes(snapshot, ModelJsonContext.Default.Snapshot));
        var id = ObjectNames.IdOf(stored);
        await Storage.SaveAsync(ObjectNames.For(ObjectKind.Snapshot, id), stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async ValueTask<Snapshot> LoadSnapshotAsync(ObjectId id, CancellationToken cancellationToken)
    {
        var handle = new ObjectHandle(ObjectKind.Snapshot, id.ToString());
        var stored = await Storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        ObjectNames.Check(handle, stored);
        var plain = Documents.Decode(handle, stored);
        Snapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize(plain, ModelJsonContext.Default.Snapshot);
        }
        catch (JsonException e)
        {
            throw new CorruptObjectException(handle, "not valid JSON: " + e.Message);
        }

        if (snapshot is null || snapshot.Tree.IsZero)
        {
            throw new CorruptObjectException(handle, "no valid tree id");
        }

        if (snapshot.Version > Snapshot.CurrentVersion)
        {
            throw new UnsupportedVersionException($"snapshot {id.ToShortString()}", snapshot.Version, Snapshot.CurrentVersion);
        }

        return snapshot;
    }

    /// <summary>
    /// All readable snapshots, oldest first. A snapshot that cannot be read (corrupt, vanished, too new) costs only
    /// itself (invariant 11): it is left out, named through <see cref="Warn"/> and recorded in
    /// <see cref="UnreadableSnapshots"/>; verify still reports it as an error.
    /// </summary>
    public async ValueTask<List<(ObjectId Id, Snapshot Snapshot)>> ListSnapshotsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<ObjectId>();
        await foreach (var info in Storage.ListAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            if (ObjectId.TryParse(info.Handle.Name, out var id))
            {
                ids.Add(id);
            }
        }

        var result = new (ObjectId Id, Snapshot? Snapshot)[ids.Count];
        var unreadable = new List<(ObjectId, string)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    result[i] = (ids[i], await LoadSnapshotAsync(ids[i], ct).ConfigureAwait(false));
                }
                catch (StackvaultException e) when (e is CorruptObjectException or ObjectNotFoundException or UnsupportedVersionException)
                {
                    lock (unreadable)
                    {
                        unreadable.Add((ids[i], e.Message));
                    }
                }
            }).ConfigureAwait(false);

        lock (_unreadableSnapshots)
        {
            _unreadableSnapshots.Clear();
            foreach (var (id, message) in unreadable.OrderBy(u => u.Item1))
            {
                _unreadableSnapshots[id] = message;
                if (_warned.Add(id))
                {
                    Warn?.Invoke($"snapshot {id.ToShortString()} is unreadable and left out ({message}); 'stackvault repair snapshots --forget' removes it (verify reports it)");
                }
            }
        }

        return [.. result.Where(s => s.Snapshot is not null).Select(s => (s.Id, s.Snapshot!)).OrderBy(s => s.Item2.Time).ThenBy(s => s.Item1)];
    }

    /// <summary>The snapshots the last listing could not read, with why (a copy).</summary>
    public IReadOnlyDictionary<ObjectId, string> UnreadableSnapshots
    {
        get
        {
            lock (_unreadableSnapshots)
            {
                return new Dictionary<ObjectId, string>(_unreadableSnapshots);
            }
        }
    }

    private readonly Dictionary<ObjectId, string> _unreadableSnapshots = [];
    private readonly HashSet<ObjectId> _warned = [];

    /// <summary>Finds a snapshot by "latest" or a unique id prefix (at least 4 hex digits).</summary>
    public async ValueTask<(ObjectId Id, Snapshot Snapshot)> FindSnapshotAsync(string reference, string? host, CancellationToken cancellationToken)
    {
        var all = await ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        if (reference == "latest")
        {
            var candidates = all.Where(s => host is null || s.Snapshot.Hostname == host).ToList();
            return candidates.Count > 0
                ? candidates[^1]
                : throw new StackvaultException("no snapshot found" + (host is null ? string.Empty : $" for host {host}"));
        }

        if (reference.Length < 4)
        {
            throw new UsageException($"snapshot reference '{reference}' is too short: give 'latest' or at least 4 hex digits");
        }

        var matches = all.Where(s => s.Id.ToString().StartsWith(reference, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new StackvaultException($"no snapshot matches '{reference}'"),
            _ => throw new UsageException($"'{reference}' matches {matches.Count} snapshots: give more digits"),
        };
    }
}
