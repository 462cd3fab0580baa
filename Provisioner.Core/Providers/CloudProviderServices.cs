using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Providers.Aws;
using Provisioner.Core.Providers.Azure;
using Provisioner.Core.Providers.Novita;
using Provisioner.Core.Providers.Simulated;

namespace Provisioner.Core.Providers;

/// <summary>
/// The cloud adapters' composition root: each adapter registers itself from its own options; this only lists
/// them and builds the resolver. Hosting calls <see cref="AddCloudProviders"/> and knows no cloud.
/// </summary>
public static class CloudProviderServices
{
    public static IServiceCollection AddCloudProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSimulatedProvider(configuration);
        services.AddAwsProvider(configuration);
        services.AddAzureProvider(configuration);
        services.AddNovitaProvider(configuration);

        services.AddSingleton<ICloudCapabilities>(sp =>
            new CloudCapabilities(sp.GetServices<CloudProviderRegistration>(), SimulatedCloudProvider.DeclaredCapabilities));
        services.AddSingleton<ICloudProviderResolver>(sp =>
        {
            var decorators = sp.GetServices<ICloudProviderDecorator>().ToList();
            ICloudProvider Decorate(ICloudProvider adapter) => decorators.Aggregate(adapter, (wrapped, d) => d.Decorate(wrapped));
            var configured = sp.GetServices<CloudProviderRegistration>()
                .Where(r => r.Adapter is not null)
                .Select(r => KeyValuePair.Create(r.Provider, Decorate(r.Adapter!(sp))))
                .ToList();
            return new CloudProviderResolver(configured, Decorate(sp.GetRequiredService<SimulatedCloudProvider>()));
        });
        return services;
    }
}
