namespace Stackvault.Tests.Components.Prometheus;

/// <summary>A real Prometheus started without --web.enable-admin-api.</summary>
public sealed class PrometheusWithoutAdminApiFixture : PrometheusServerFixture
{
    public PrometheusWithoutAdminApiFixture()
        : base(enableAdminApi: false)
    {
    }
}

/// <summary>The test classes that share one <see cref="PrometheusWithoutAdminApiFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PrometheusWithoutAdminApiCollection : ICollectionFixture<PrometheusWithoutAdminApiFixture>
{
    public const string Name = "prometheus-without-admin-api";
}
