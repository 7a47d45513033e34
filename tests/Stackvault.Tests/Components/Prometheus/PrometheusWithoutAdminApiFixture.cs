namespace Stackvault.Tests.Components.Prometheus;

/// <summary>A real Prometheus started without --web.enable-admin-api.</summary>
public sealed class PrometheusWithoutAdminApiFixture : PrometheusServerFixture
{
    public PrometheusWithoutAdminApiFixture()
        : base(enableAdminApi: false)
    {
    }
}
