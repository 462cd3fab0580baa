using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Providers.Novita;

/// <summary>Registers the NovitaAI adapter from <c>Providers:Novita</c>: its capabilities always, the adapter when enabled.</summary>
internal static class NovitaProviderServices
{
    /// <summary>
    /// Spot (Novita's <c>billingMode: spot</c>, at the product's spot price under the ceiling). No boot script, no
    /// dead-man switch (a container cannot power off what bills it) and no tags: Novita has none.
    /// </summary>
    public static readonly ProviderCapabilities Capabilities = new()
    {
        Spot = true,
        UserData = false,
        DeadManSwitch = false,
        ResourceTags = false,
    };

    public static IServiceCollection AddNovitaProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCloudAdapter<NovitaOptions, NovitaCloudProvider>(configuration, CloudProviderName.Novita, NovitaOptions.Section, _ => Capabilities, client =>
            {
                // One long-lived client (the adapter is a singleton): pooled connections are renewed so DNS changes are seen.
                // The call timeout is applied per call by the client; the HttpClient's own never cuts first.
                client.AddSingleton(sp => new NovitaClient(
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
                    sp.GetRequiredService<IOptions<NovitaOptions>>(), sp.GetRequiredService<TimeProvider>()));
                client.AddSingleton<NovitaProductCache>();
                client.AddSingleton<ILivePrices, NovitaLivePrices>();
            })
            .Validate(o => !o.Enabled || o.ResolveApiKey() is not null,
                $"{NovitaOptions.Section}:Enabled is true but neither {NovitaOptions.Section}:ApiKey nor {NovitaOptions.ApiKeyVariable} is set");
        return services;
    }
}
