using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Aws;

/// <summary>Registers the EC2 adapter from <c>Providers:Aws</c>: its capabilities always, the adapter when enabled.</summary>
internal static class AwsProviderServices
{
    /// <summary>Spot, boot scripts, the dead-man switch and tags on instance and volume; the configured regions when named.</summary>
    public static ProviderCapabilities CapabilitiesFor(AwsOptions aws) => new()
    {
        Spot = true,
        UserData = true,
        DeadManSwitch = true,
        ResourceTags = true,
        // Reconciliation lists only these, so a machine launched anywhere else would escape it.
        Regions = aws.Regions.Count > 0 ? aws.Regions.ToHashSet(StringComparer.Ordinal) : null,
    };

    public static IServiceCollection AddAwsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<AwsOptions>(configuration, AwsOptions.Section);
        var aws = configuration.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        Func<IServiceProvider, ICloudProvider>? adapter = null;
        if (aws.Enabled)
        {
            // Credentials: the SDK's default chain, resolved by each client and refreshed by the SDK itself.
            services.AddSingleton(sp => new Ec2ClientFactory(sp.GetRequiredService<IOptions<AwsOptions>>()));
            services.AddSingleton<Ec2CloudProvider>();
            adapter = sp => sp.GetRequiredService<Ec2CloudProvider>();
        }

        services.AddSingleton(new CloudProviderRegistration(CloudProviderName.Aws, CapabilitiesFor(aws), adapter));
        return services;
    }
}
