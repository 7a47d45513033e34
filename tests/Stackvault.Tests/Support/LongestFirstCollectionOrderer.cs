using Stackvault.Tests.Backup;
using Stackvault.Tests.Components.Postgres;
using Stackvault.Tests.Copy;
using Stackvault.Tests.Hostile;
using Stackvault.Tests.Repair;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Stackvault.Tests.Support.LongestFirstCollectionOrderer", "Stackvault.Tests")]

namespace Stackvault.Tests.Support;

/// <summary>
/// Starts the longest test collections first. xunit runs each collection start to end on one of its few lanes, in the
/// orderer's order; a long serial collection (a shared server's classes) started late ran on alone after all others had
/// finished and so set the suite's wall time. The list holds the collections that took 30 s or more in a CI run,
/// longest first; all others follow in xunit's default (stable) order. Only the order changes, never what runs.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        S3rverCollection.Name, PostgresCollection.Name, PerClass<HostileCorpusTests>(), PerClass<DamageTests>(), PerClass<DisruptionSuiteTests>(),
        PerClass<CorruptionMatrixPackTests>(), PerClass<CorruptionMatrixMetadataTests>(), PerClass<Maintenance.PruneCrashSafetyTests>(),
        PerClass<CopyRoundTripTests>(), PerClass<Verify.CorruptionTests>(), PerClass<CrashSafetyTests>(), AzuriteCollection.Name, PerClass<CopyCrashTests>(),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        new DefaultTestCollectionOrderer().OrderTestCollections(testCollections).OrderBy(Rank);

    private static int Rank(ITestCollection collection)
    {
        var index = Array.IndexOf(Longest, collection.DisplayName);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>The display name xunit gives the collection of a class without a [Collection] attribute.</summary>
    private static string PerClass<T>() => "Test collection for " + typeof(T).FullName;
}
