namespace Stackvault.Tests.Support;

/// <summary>The test classes that share one <see cref="S3rverFixture"/> (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
