using System.Collections.Concurrent;
using Stackvault.Platform;

namespace Stackvault.Backup;

/// <summary>
/// Keeps the disk busy ahead of the backup's file readers. The walk names each file it will read (new or changed
/// against the parent snapshot; never one the parent already holds) as it passes it, and a thread of its own asks the
/// kernel to read the file's first bytes ahead (<see cref="PageCache.ReadAhead"/>), while no more than
/// <see cref="WindowBytes"/> of the files named are still waiting for their reader. Without it each file's first read
/// waits for the disk with the cores idle: small files (Loki's chunks, a few hundred kilobytes each) were read at a
/// third of the disk's speed (docs/benchmarks.md). A hint: nothing is read into the process, and a file whose reader
/// comes first is simply read as before.
/// </summary>
internal sealed class SourceReadAhead : IDisposable
{
    /// <summary>Bytes of named files not yet taken by their reader, at most (and so the page cache they may hold).</summary>
    public const long WindowBytes = 64L << 20;

    /// <summary>Named files not yet taken by their reader, at most (small files: the window in files).</summary>
    public const int WindowFiles = 512;

    private readonly BlockingCollection<Ticket> _queue = new(new ConcurrentQueue<Ticket>());
    private readonly Thread _thread;
    private long _outstandingBytes;
    private int _outstandingFiles;
    private int _requested;
    private int _named;
    private volatile bool _stopping;

    public SourceReadAhead()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "source read-ahead" };
        _thread.Start();
    }

    /// <summary>Whether another file may be named now (the window is not full).</summary>
    public bool HasRoom => Interlocked.Read(ref _outstandingBytes) < WindowBytes && Volatile.Read(ref _outstandingFiles) < WindowFiles;

    /// <summary>Files whose read-ahead was asked of the kernel (tests).</summary>
    internal int Requested => Volatile.Read(ref _requested);

    /// <summary>Files named by the walk (tests).</summary>
    internal int Named => Volatile.Read(ref _named);

    /// <summary>Names a file the walk will read; its reader takes the returned ticket (<see cref="Ticket.Take"/>), whatever happens to it.</summary>
    public Ticket Name(string path, long size)
    {
        var ticket = new Ticket(this, path, Math.Min(size, WindowBytes));
        Interlocked.Add(ref _outstandingBytes, ticket.Length);
        Interlocked.Increment(ref _outstandingFiles);
        Interlocked.Increment(ref _named);
        if (!_queue.TryAdd(ticket))
        {
            ticket.Take();
        }

        return ticket;
    }

    /// <summary>Ends the thread; files named and not read ahead yet are left (the backup is over, or was stopped).</summary>
    public void Dispose()
    {
        _stopping = true;
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (var ticket in _queue.GetConsumingEnumerable())
        {
            if (!_stopping)
            {
                ticket.ReadAhead();
            }
        }
    }

    private void Taken(long length)
    {
        Interlocked.Add(ref _outstandingBytes, -length);
        Interlocked.Decrement(ref _outstandingFiles);
    }

    /// <summary>One named file: read ahead by the thread, or taken by its reader first.</summary>
    public sealed class Ticket
    {
        private readonly SourceReadAhead _owner;
        private readonly string _path;
        private readonly Lock _gate = new();
        private bool _taken;
        private bool? _cold;

        internal Ticket(SourceReadAhead owner, string path, long length)
        {
            (_owner, _path, Length) = (owner, path, length);
        }

        internal long Length { get; }

        /// <summary>
        /// Called by the file's reader before it opens the file (and again, harmlessly, when it is done). Returns whether
        /// the file was cold before its read-ahead, or null when it was not read ahead (the reader looks itself).
        /// </summary>
        public bool? Take()
        {
            lock (_gate)
            {
                if (!_taken)
                {
                    _taken = true;
                    _owner.Taken(Length);
                }

                return _cold;
            }
        }

        internal void ReadAhead()
        {
            lock (_gate)
            {
                if (_taken)
                {
                    return; // its reader came first
                }

                _cold = PageCache.ReadAhead(_path, Length);
                Interlocked.Increment(ref _owner._requested);
            }
        }
    }
}
