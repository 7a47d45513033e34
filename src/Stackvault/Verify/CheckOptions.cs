namespace Stackvault.Verify;

/// <summary>How much data <c>verify</c> reads: none (structure only), all, a slice n/t of the packs, or a percentage.</summary>
public sealed class CheckOptions
{
    public bool ReadData { get; init; }

    /// <summary>"n/t" (the n-th of t slices, 1-based) or "P%" (a random P percent), or null.</summary>
    public string? ReadDataSubset { get; init; }

    public int Concurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Counters of the data read (packs and their bytes, totals set once the packs to read are known); null when nobody watches.</summary>
    public Progress.OperationProgress? Progress { get; init; }

    /// <summary>Whether this run reads pack data (all, or a subset).</summary>
    public bool ReadsData => ReadData || ReadDataSubset is not null;

    /// <summary>Decides from the pack id whether this run reads the pack.</summary>
    public Func<Repository.ObjectId, bool> PackSelector()
    {
        if (ReadDataSubset is null)
        {
            return _ => ReadData;
        }

        var text = ReadDataSubset.Trim();
        if (text.EndsWith('%') && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100)
        {
            return _ => Random.Shared.NextDouble() * 100 < percent;
        }

        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var n) && int.TryParse(parts[1], out var t) && t >= 1 && n >= 1 && n <= t)
        {
            return id => (int)(id.Hash64 >> 56) % t == n - 1;
        }

        throw new Errors.UsageException($"--read-data-subset '{ReadDataSubset}' is neither n/t (1 <= n <= t) nor P% (0 < P <= 100)");
    }
}
