namespace Stackvault.Tests.Chunking;

/// <summary>A fact for hand-run benchmarks: skipped unless STACKVAULT_BENCH=1. Benchmarks report numbers and assert no time.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("STACKVAULT_BENCH") != "1")
        {
            Skip = "benchmark: run by hand with STACKVAULT_BENCH=1";
        }
    }
}
