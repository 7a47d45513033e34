using Stackvault.Compression;

namespace Stackvault.Tests.Compression;

public class ZstdTests
{
    [Fact]
    public void IsAvailable_SystemLibrary_TrueWithVersion()
    {
        Assert.True(Zstd.IsAvailable, Zstd.UnavailableReason);
        Assert.Null(Zstd.UnavailableReason);
        Assert.Matches(@"^1\.\d+\.\d+$", Zstd.Version);
    }

    [Fact]
    public void Probe_MissingLibrary_NamesLibraryAndDebianPackage()
    {
        var reason = Zstd.Probe("libzstd-missing.so.9");
        Assert.NotNull(reason);
        Assert.Contains("libzstd-missing.so.9", reason, StringComparison.Ordinal);
        Assert.Contains("libzstd1", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
    }
}
