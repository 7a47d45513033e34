namespace Stackvault.Crypto.Md5;

/// <summary>
/// Hashes the MD5s of many streams together. A stream hands in its next blocks (<see cref="Submit"/>) as soon as it has
/// them and asks for them to be hashed (<see cref="Pending.HashedAsync"/>) only when it needs them: before it hands in
/// more, or at its end. Until some stream asks, nothing is hashed; then one worker takes every stream's waiting blocks
/// into the lanes of <see cref="Md5Block.CompressLanes"/> and compresses them in lockstep: two streams in 0.6 of the
/// time of one after the other, eight in a quarter. Streams that read at the same pace ask at about the same time, so
/// the lanes are about as full as the streams being read at once.
/// </summary>
internal sealed class Md5Lanes
{
    /// <summary>The blocks hashed per lane between two looks for blocks waiting to join (16 KiB).</summary>
    public const int StepBlocks = 256;

    private readonly Lock _gate = new();
    private readonly List<Pending> _waiting = [];
    private int _asked;
    private bool _running;

    /// <summary>The lanes every checked stream of the process shares (the more streams, the fuller the lanes).</summary>
    public static Md5Lanes Shared { get; } = new();

    /// <summary>
    /// Hands in <paramref name="blocks"/> (whole 64-byte blocks) to be compressed into <paramref name="digest"/>'s state.
    /// The caller leaves both alone, and hands in nothing more for <paramref name="digest"/>, until the returned
    /// blocks' <see cref="Pending.HashedAsync"/> has ended.
    /// </summary>
    public Pending Submit(Md5Digest digest, ReadOnlyMemory<byte> blocks)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (blocks.Length % Md5Block.BlockSize != 0)
        {
            throw new ArgumentException("MD5 lanes take whole 64-byte blocks", nameof(blocks));
        }

        var pending = new Pending(this, digest, blocks);
        if (blocks.IsEmpty)
        {
            Md5Block.CompressOne(ref digest.State, blocks.Span);
            pending.Done.SetResult();
            return pending;
        }

        lock (_gate)
        {
            _waiting.Add(pending);
        }

        return pending;
    }

    private Task Ask(Pending pending)
    {
        bool start;
        lock (_gate)
        {
            if (pending.Asked || pending.Done.Task.IsCompleted)
            {
                return pending.Done.Task;
            }

            pending.Asked = true;
            if (!_waiting.Contains(pending))
            {
                return pending.Done.Task; // the worker has it
            }

            _asked++;
            start = !_running;
            _running = true;
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static lanes => lanes.Run(), this, preferLocal: false);
        }

        return pending.Done.Task;
    }

    /// <summary>
    /// The worker: while some stream has asked, fills the free lanes with every stream's waiting blocks (the oldest
    /// first), compresses until one lane's blocks are all in, hands that one back, and looks again.
    /// </summary>
    private void Run()
    {
        var taken = new Pending[Md5Block.Lanes];
        var states = new Md5State[Md5Block.Lanes];
        var inputs = new ReadOnlyMemory<byte>[Md5Block.Lanes];
        var offsets = new int[Md5Block.Lanes];
        var count = 0;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (count == 0 && _asked == 0)
                    {
                        _running = false;
                        return;
                    }

                    for (var i = 0; i < _waiting.Count && count < Md5Block.Lanes;)
                    {
                        // asked blocks first when more wait than there are lanes
                        var pending = _waiting[i];
                        if (!pending.Asked && _asked > 0 && _waiting.Count - i + count > Md5Block.Lanes)
                        {
                            i++;
                            continue;
                        }

                        _waiting.RemoveAt(i);
                        _asked -= pending.Asked ? 1 : 0;
                        (taken[count], states[count], inputs[count], offsets[count]) = (pending, pending.Digest.State, pending.Blocks, 0);
                        count++;
                    }
                }

                var blocks = StepBlocks;
                for (var i = 0; i < count; i++)
                {
                    blocks = Math.Min(blocks, (inputs[i].Length - offsets[i]) / Md5Block.BlockSize);
                }

                Md5Block.CompressLanes(states, inputs, offsets, count, blocks);
                for (var i = count - 1; i >= 0; i--)
                {
                    if (offsets[i] == inputs[i].Length)
                    {
                        var done = taken[i];
                        done.Digest.State = states[i];
                        count--;
                        (taken[i], states[i], inputs[i], offsets[i]) = (taken[count], states[count], inputs[count], offsets[count]);
                        (taken[count], inputs[count]) = (null!, default);
                        done.Done.SetResult();
                    }
                }
            }
        }
        catch (Exception e)
        {
            List<Pending> failed;
            lock (_gate)
            {
                failed = [.. taken.Take(count), .. _waiting];
                _waiting.Clear();
                (_asked, _running) = (0, false);
            }

            foreach (var pending in failed)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Blocks handed in and not yet known to be hashed.</summary>
    internal sealed class Pending(Md5Lanes lanes, Md5Digest digest, ReadOnlyMemory<byte> blocks)
    {
        public Md5Digest Digest { get; } = digest;

        public ReadOnlyMemory<byte> Blocks { get; } = blocks;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set under the lanes' lock once a stream has asked for these blocks.</summary>
        public bool Asked { get; set; }

        /// <summary>Ends when the blocks are in the digest's state; asks for them to be hashed now, with whatever else waits.</summary>
        public Task HashedAsync() => lanes.Ask(this);
    }
}

/// <summary>An MD5 in progress whose blocks go through <see cref="Md5Lanes"/>.</summary>
internal sealed class Md5Digest
{
    public Md5State State = Md5State.Initial;
}
