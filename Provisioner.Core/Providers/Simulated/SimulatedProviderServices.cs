using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>Registers the simulated cloud: always, as it serves every provider that has no adapter configured.</summary>
internal static class SimulatedProviderServices
{
    public static IServiceCollection AddSimulatedProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<SimulatedCloudOptions>(configuration, SimulatedCloudOptions.Section);
        services.AddSingleton<SimulatedCloudProvider>();
        services.AddSingleton<SimulatedCloudControl>();
        // No adapter here: the resolver uses the simulated cloud as its fallback, for SIMULATED and every unconfigured cloud.
        services.AddSingleton(new CloudProviderRegistration(CloudProviderName.Simulated, SimulatedCloudProvider.DeclaredCapabilities, Adapter: null));
        return services;
    }
}
