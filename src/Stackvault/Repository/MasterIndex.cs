namespace Stackvault.Repository;

/// <summary>
/// Every blob the repository's index files know, in one open-addressing hash table: entries live in a struct array
/// (56 bytes each) and the table holds int slots at a load factor of at most 0.5 (8 to 16 bytes per entry), about
/// 64-72 bytes per blob in all. A million chunks (about 1 TiB of unique data) costs about 70 MB.
/// Thread-safe: reads and writes take a lock (one lookup per chunk of about 1 MiB makes contention negligible).
/// </summary>
public sealed class MasterIndex
{
    private readonly Lock _gate = new();
    private readonly List<ObjectId> _packs = [];
    private readonly Dictionary<ObjectId, int> _packNumbers = [];
    private BlobLocation[] _entries = new BlobLocation[1024];
    private int[] _slots = new int[2048];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public int PackCount
    {
        get
        {
            lock (_gate)
            {
                return _packs.Count;
            }
        }
    }

    /// <summary>Adds every blob of a pack; blobs already known keep their first location.</summary>
    public void AddPack(ObjectId packId, IEnumerable<PackEntry> blobs)
    {
        lock (_gate)
        {
            if (!_packNumbers.TryGetValue(packId, out var pack))
            {
                pack = _packs.Count;
                _packs.Add(packId);
                _packNumbers.Add(packId, pack);
            }

            foreach (var b in blobs)
            {
                Insert(new BlobLocation(b.Id, b.Type, b.Flags, pack, b.Offset, b.Length, b.RawLength));
            }
        }
    }

    public bool Contains(ObjectId id)
    {
        lock (_gate)
        {
            return Find(id) >= 0;
        }
    }

    public bool TryGet(ObjectId id, out BlobLocation location)
    {
        lock (_gate)
        {
            var i = Find(id);
            location = i >= 0 ? _entries[i] : default;
            return i >= 0;
        }
    }

    public ObjectId PackId(int packIndex)
    {
        lock (_gate)
        {
            return _packs[packIndex];
        }
    }

    public IReadOnlyList<ObjectId> Packs()
    {
        lock (_gate)
        {
            return [.. _packs];
        }
    }

    /// <summary>Forgets every blob and pack (before reloading the index files after another process or a prune changed them).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _packs.Clear();
            _packNumbers.Clear();
            _entries = new BlobLocation[1024];
            _slots = new int[2048];
            _count = 0;
        }
    }

    /// <summary>A copy of all entries (for verification); costs one entry array.</summary>
    public BlobLocation[] Snapshot()
    {
        lock (_gate)
        {
            return _entries.AsSpan(0, _count).ToArray();
        }
    }

    private int Find(ObjectId id)
    {
        var mask = _slots.Length - 1;
        var slot = (int)(id.Hash64 & (ulong)mask);
        while (true)
        {
            var e = _slots[slot] - 1;
            if (e < 0)
            {
                return -1;
            }

            if (_entries[e].Id == id)
            {
                return e;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Insert(BlobLocation location)
    {
        if (Find(location.Id) >= 0)
        {
            return;
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_count] = location;
        _count++;
        if (_count * 2 > _slots.Length)
        {
            Rehash(_slots.Length * 2);
        }
        else
        {
            Place(_count - 1);
        }
    }

    private void Rehash(int size)
    {
        _slots = new int[size];
        for (var i = 0; i < _count; i++)
        {
            Place(i);
        }
    }

    private void Place(int entry)
    {
        var mask = _slots.Length - 1;
        var slot = (int)(_entries[entry].Id.Hash64 & (ulong)mask);
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _slots[slot] = entry + 1;
    }
}
