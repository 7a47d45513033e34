namespace Stackvault.Chunking;

/// <summary>
/// FastCDC content-defined chunking with normalized chunking (two masks), as fixed by the repository format:
/// from a chunk start, bytes [MinSize, min(length, MaxSize)) are hashed with fp = (fp &lt;&lt; 1) + gear[byte], starting
/// from fp = 0 at MinSize; the chunk ends after the first byte i where (fp &amp; mask) == 0, with mask = maskS (top b+2
/// bits, b = log2 AvgSize) while i &lt; AvgSize and maskL (top b-2 bits) after. Thread-safe (immutable).
/// </summary>
public sealed unsafe class FastCdc
{
    private readonly ulong[] _gear;
    private readonly ulong _maskS;
    private readonly ulong _maskL;

    public FastCdc(ulong seed, ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _gear = GearTable.Create(seed);
        var bits = int.Log2(parameters.AvgSize);
        _maskS = TopBits(bits + 2);
        _maskL = TopBits(bits - 2);
    }

    public ChunkerParameters Parameters { get; }

    /// <summary>
    /// The length of the chunk at the start of <paramref name="window"/>. The window must hold at least MaxSize bytes
    /// unless <paramref name="isFinal"/> says it ends at the end of the input. Returns 0 only for an empty final window.
    /// </summary>
    public int NextChunkLength(ReadOnlySpan<byte> window, bool isFinal)
    {
        if (!isFinal && window.Length < Parameters.MaxSize)
        {
            throw new ArgumentException($"a non-final window must hold at least MaxSize ({Parameters.MaxSize}) bytes, got {window.Length}", nameof(window));
        }

        TryNextChunkLength(window, isFinal, out var length);
        return length;
    }

    /// <summary>
    /// The same cut as <see cref="NextChunkLength"/>, found in a window that may be shorter than MaxSize: the cut
    /// after byte i depends only on bytes [MinSize, i], so a cut inside a short window is the cut a full window gives.
    /// Returns false (length 0) when a non-final window ends before any cut: the caller reads more and asks again.
    /// </summary>
    public bool TryNextChunkLength(ReadOnlySpan<byte> window, bool isFinal, out int length)
    {
        var (min, avg, max) = Parameters;
        var complete = isFinal || window.Length >= max;
        length = 0;
        if (window.Length <= min)
        {
            length = complete ? window.Length : 0;
            return complete;
        }

        var end = Math.Min(window.Length, max);
        fixed (byte* data = window)
        fixed (ulong* gear = _gear)
        {
            ulong fp = 0;
            var cut = Scan(data, gear, min, Math.Min(end, avg), _maskS, ref fp);
            if (cut < 0 && end > avg)
            {
                cut = Scan(data, gear, avg, end, _maskL, ref fp);
            }

            if (cut < 0 && !complete)
            {
                return false;
            }

            length = cut < 0 ? end : cut;
            return true;
        }
    }

    /// <summary>Bytes per lane of <see cref="Scan"/>: four lanes hash one block of 16 KiB together.</summary>
    private const int ScanLane = 4096;

    /// <summary>
    /// The fingerprint is shifted one bit per byte, so after 64 bytes it depends on those 64 bytes alone: fp after
    /// byte i is the sum of gear[data[i - k]] &lt;&lt; k for k in [0, 64) once i is 63 or more bytes past the start.
    /// </summary>
    private const int FingerprintSpan = 64;

    /// <summary>
    /// Hashes data[start..end) from <paramref name="fp"/>; returns the chunk length at the first cut, or -1 with
    /// <paramref name="fp"/> the fingerprint after the last byte. Blocks of four lanes are hashed side by side (four
    /// independent dependency chains instead of one: 1.8-2.2 times the bytes per second of one chain, alone on a core
    /// of the benchmark machine; docs/benchmarks.md, stop 25); lanes 1-3 start from the 64 bytes before them, which gives exactly the fingerprint one
    /// chain would have there (see <see cref="FingerprintSpan"/>). The first cut of the block is the first cut of the
    /// lowest lane that has one. What is left after the last whole block goes through one chain.
    /// </summary>
    private static int Scan(byte* data, ulong* gear, int start, int end, ulong mask, ref ulong fp)
    {
        var h = fp;
        var i = start;
        while (end - i >= 4 * ScanLane)
        {
            var p0 = data + i;
            var p1 = p0 + ScanLane;
            var p2 = p1 + ScanLane;
            var p3 = p2 + ScanLane;
            ulong h1 = 0, h2 = 0, h3 = 0;
            for (var k = -FingerprintSpan; k < 0; k++)
            {
                h1 = (h1 << 1) + gear[p1[k]];
                h2 = (h2 << 1) + gear[p2[k]];
                h3 = (h3 << 1) + gear[p3[k]];
            }

            int hit1 = int.MaxValue, hit2 = int.MaxValue, hit3 = int.MaxValue;
            for (var t = 0; t < ScanLane; t++)
            {
                h = (h << 1) + gear[p0[t]];
                h1 = (h1 << 1) + gear[p1[t]];
                h2 = (h2 << 1) + gear[p2[t]];
                h3 = (h3 << 1) + gear[p3[t]];
                if ((h & mask) == 0)
                {
                    return i + t + 1;
                }

                if ((h1 & mask) == 0 && t < hit1)
                {
                    hit1 = t;
                }

                if ((h2 & mask) == 0 && t < hit2)
                {
                    hit2 = t;
                }

                if ((h3 & mask) == 0 && t < hit3)
                {
                    hit3 = t;
                }
            }

            if (hit1 != int.MaxValue)
            {
                return i + ScanLane + hit1 + 1;
            }

            if (hit2 != int.MaxValue)
            {
                return i + (2 * ScanLane) + hit2 + 1;
            }

            if (hit3 != int.MaxValue)
            {
                return i + (3 * ScanLane) + hit3 + 1;
            }

            h = h3;
            i += 4 * ScanLane;
        }

        return ScanOneChain(data, gear, i, end, mask, h, ref fp);
    }

    /// <summary>Hashes data[start..end) from <paramref name="h"/> in one chain, two bytes per step to halve its length.</summary>
    private static int ScanOneChain(byte* data, ulong* gear, int start, int end, ulong mask, ulong h, ref ulong fp)
    {
        var i = start;
        for (; i + 1 < end; i += 2)
        {
            var g0 = gear[data[i]];
            var g1 = gear[data[i + 1]];
            var h0 = (h << 1) + g0;
            h = (h << 2) + ((g0 << 1) + g1); // == (h0 << 1) + g1, without waiting for h0
            if ((h0 & mask) == 0)
            {
                return i + 1;
            }

            if ((h & mask) == 0)
            {
                return i + 2;
            }
        }

        if (i < end)
        {
            h = (h << 1) + gear[data[i]];
            if ((h & mask) == 0)
            {
                return i + 1;
            }
        }

        fp = h;
        return -1;
    }

    private static ulong TopBits(int count) => count <= 0 ? 0 : ulong.MaxValue << (64 - count);
}
