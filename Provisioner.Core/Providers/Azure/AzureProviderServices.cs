using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Azure;

/// <summary>Registers the Azure Compute adapter from <c>Providers:Azure</c>: its capabilities always, the adapter when enabled.</summary>
internal static class AzureProviderServices
{
    /// <summary>
    /// Spot, boot scripts (<c>customData</c>) and tags on the machine; no dead-man switch: a VM that powers itself off
    /// is still allocated and billed on Azure, so only our own jobs end it. The regions with a subnet when named.
    /// </summary>
    public static ProviderCapabilities CapabilitiesFor(AzureOptions azure) => new()
    {
        Spot = true,
        UserData = true,
        DeadManSwitch = false,
        ResourceTags = true,
        Regions = azure.Subnets.Count > 0 ? azure.Subnets.Keys.ToHashSet(StringComparer.Ordinal) : null,
    };

    public static IServiceCollection AddAzureProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<AzureOptions>(configuration, AzureOptions.Section)
            .Validate(o => !o.Enabled || Missing(o).Count == 0, $"{AzureOptions.Section}:Enabled is true but {AzureOptions.Section}:SubscriptionId, ResourceGroup or SshPublicKey is not set");
        var azure = configuration.GetSection(AzureOptions.Section).Get<AzureOptions>() ?? new AzureOptions();
        Func<IServiceProvider, ICloudProvider>? adapter = null;
        if (azure.Enabled)
        {
            // Credentials: DefaultAzureCredential, made once with the client and refreshed by Azure.Identity itself.
            services.AddSingleton(sp => new ArmClientFactory(sp.GetRequiredService<IOptions<AzureOptions>>()));
            services.AddSingleton<AzureCloudProvider>();
            adapter = sp => sp.GetRequiredService<AzureCloudProvider>();
        }

        services.AddSingleton(new CloudProviderRegistration(CloudProviderName.Azure, CapabilitiesFor(azure), adapter));
        return services;
    }

    private static List<string> Missing(AzureOptions o) =>
        [.. new[] { ("SubscriptionId", o.SubscriptionId), ("ResourceGroup", o.ResourceGroup), ("SshPublicKey", o.SshPublicKey) }
            .Where(s => string.IsNullOrWhiteSpace(s.Item2)).Select(s => s.Item1)];
}
