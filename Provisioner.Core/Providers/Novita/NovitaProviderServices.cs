using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
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
        services.AddValidatedSettings<NovitaOptions>(configuration, NovitaOptions.Section)
            .Validate(o => !o.Enabled || o.ResolveApiKey() is not null,
                $"{NovitaOptions.Section}:Enabled is true but neither {NovitaOptions.Section}:ApiKey nor {NovitaOptions.ApiKeyVariable} is set");
        var novita = configuration.GetSection(NovitaOptions.Section).Get<NovitaOptions>() ?? new NovitaOptions();
        Func<IServiceProvider, ICloudProvider>? adapter = null;
        if (novita.Enabled)
        {
            // One long-lived client (the adapter is a singleton): pooled connections are renewed so DNS changes are seen.
            // The call timeout is applied per call by the client; the HttpClient's own never cuts first.
            services.AddSingleton(sp => new NovitaClient(
                new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
                sp.GetRequiredService<IOptions<NovitaOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<NovitaProductCache>();
            services.AddSingleton<ILivePrices, NovitaLivePrices>();
            services.AddSingleton<NovitaCloudProvider>();
            adapter = sp => sp.GetRequiredService<NovitaCloudProvider>();
        }

        services.AddSingleton(new CloudProviderRegistration(CloudProviderName.Novita, Capabilities, adapter));
        return services;
    }
}
