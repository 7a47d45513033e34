using Stackvault.Copy;
using Stackvault.Repository;

namespace Stackvault.Tests.Copy;

/// <summary>How a file's needed blobs are grouped into one read per stretch of a pack.</summary>
public sealed class CopyPackRunsTests
{
    [Fact]
    public void PackRuns_AdjacentBlobsOfOnePack_OneRun()
    {
        var runs = CopyRunner.PackRuns([Blob(0, 0, 0, 100), Blob(1, 0, 100, 100), Blob(2, 0, 250, 50)]);

        Assert.Equal([3], runs.Select(r => r.Count));
        Assert.Equal([0, 1, 2], runs[0].Select(b => b.Index));
    }

    [Fact]
    public void PackRuns_OtherPackBackwardsOrFarGap_SplitsRuns()
    {
        var runs = CopyRunner.PackRuns(
        [
            Blob(0, 0, 0, 100),
            Blob(1, 1, 0, 100), // another pack
            Blob(2, 1, 0, 100), // the same blob again: not after the previous one
            Blob(3, 1, 100 + (uint)CopyRunner.MaxGap + 1, 100), // too far after it
            Blob(4, 1, 200 + (uint)CopyRunner.MaxGap + 1, 100),
        ]);

        Assert.Equal([1, 1, 1, 2], runs.Select(r => r.Count));
    }

    [Fact]
    public void PackRuns_LongerThanMaxRun_Split()
    {
        const uint part = CopyRunner.MaxRun / 4; // four parts fill a run
        var blobs = Enumerable.Range(0, 5).Select(i => Blob(i, 0, (uint)i * part, part)).ToList();

        var runs = CopyRunner.PackRuns(blobs);

        Assert.Equal([4, 1], runs.Select(r => r.Count));
        Assert.All(runs, r => Assert.True((long)r[^1].Location.Offset + r[^1].Location.Length - r[0].Location.Offset <= CopyRunner.MaxRun));
    }

    [Fact]
    public void PackRuns_Empty_NoRuns() => Assert.Empty(CopyRunner.PackRuns([]));

    private static (int Index, BlobLocation Location) Blob(int index, int pack, uint offset, uint length) =>
        (index, new BlobLocation(default, BlobType.Data, default, pack, offset, length, length));
}
