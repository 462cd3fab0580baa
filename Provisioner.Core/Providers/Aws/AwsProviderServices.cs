using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Aws;

/// <summary>Registers the EC2 adapter from <c>Providers:Aws</c>: its capabilities always, the adapter when enabled.</summary>
internal static class AwsProviderServices
{
    /// <summary>Spot, boot scripts, the dead-man switch and tags on instance and volume; the configured regions when named.</summary>
    /// <summary>EC2 keeps tag keys starting <c>aws:</c> for itself.</summary>
    public static readonly CloudRequestRules Rules = new() { CloudName = "AWS", ReservedTagPrefixes = ["aws:"] };

    public static ProviderCapabilities CapabilitiesFor(AwsOptions aws) => new()
    {
        Spot = true,
        UserData = true,
        DeadManSwitch = true,
        ResourceTags = true,
        RequestRules = Rules,
        // Reconciliation lists only these, so a machine launched anywhere else would escape it.
        Regions = aws.Regions.Count > 0 ? aws.Regions.ToHashSet(StringComparer.Ordinal) : null,
    };

    public static IServiceCollection AddAwsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        // Credentials: the SDK's default chain, resolved by each client and refreshed by the SDK itself.
        services.AddCloudAdapter<AwsOptions, AwsCloudProvider>(configuration, CloudProviderName.Aws, AwsOptions.Section, CapabilitiesFor,
            client => client.AddSingleton(sp => new AwsClientFactory(sp.GetRequiredService<IOptions<AwsOptions>>())));
        return services;
    }
}
