namespace Stackvault.Tests.Support;

/// <summary>The test classes that share one <see cref="AzuriteFixture"/> (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
