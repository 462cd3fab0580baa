using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Azure;

/// <summary>Registers the Azure Compute adapter from <c>Providers:Azure</c>: its capabilities always, the adapter when enabled.</summary>
internal static class AzureProviderServices
{
    /// <summary>
    /// Spot, boot scripts (<c>customData</c>) and tags on the machine; no dead-man switch: a VM that powers itself off
    /// is still allocated and billed on Azure, so only our own jobs end it. The regions with a subnet when named.
    /// </summary>
    /// <summary>Azure keeps tag names starting <c>microsoft</c> and <c>azure</c>, and refuses '/' in them.</summary>
    public static readonly CloudRequestRules Rules = new()
    {
        CloudName = "Azure",
        ReservedTagPrefixes = ["microsoft", "azure"],
        TagKeyForbiddenCharacters = "/",
    };

    public static ProviderCapabilities CapabilitiesFor(AzureOptions azure) => new()
    {
        Spot = true,
        UserData = true,
        DeadManSwitch = false,
        ResourceTags = true,
        RequestRules = Rules,
        Regions = azure.Subnets.Count > 0 ? azure.Subnets.Keys.ToHashSet(StringComparer.Ordinal) : null,
    };

    public static IServiceCollection AddAzureProvider(this IServiceCollection services, IConfiguration configuration)
    {
        // Credentials: DefaultAzureCredential, made once with the client and refreshed by Azure.Identity itself.
        services.AddCloudAdapter<AzureOptions, AzureCloudProvider>(configuration, CloudProviderName.Azure, AzureOptions.Section, CapabilitiesFor,
                client => client.AddSingleton(sp => new ArmClientFactory(sp.GetRequiredService<IOptions<AzureOptions>>())))
            .Validate(o => !o.Enabled || Missing(o).Count == 0, $"{AzureOptions.Section}:Enabled is true but {AzureOptions.Section}:SubscriptionId, ResourceGroup or SshPublicKey is not set");
        return services;
    }

    private static List<string> Missing(AzureOptions o) =>
        [.. new[] { ("SubscriptionId", o.SubscriptionId), ("ResourceGroup", o.ResourceGroup), ("SshPublicKey", o.SshPublicKey) }
            .Where(s => string.IsNullOrWhiteSpace(s.Item2)).Select(s => s.Item1)];
}
