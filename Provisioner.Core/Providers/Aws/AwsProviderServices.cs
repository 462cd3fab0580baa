using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Provisioner.Core.Providers.Aws;

/// <summary>Registers the EC2 adapter when <c>Providers:Aws:Enabled</c> is set.</summary>
internal static class AwsProviderServices
{
    public static AwsOptions AddAwsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.Section));
        var aws = configuration.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        if (aws.Enabled)
        {
            services.AddHttpClient(nameof(Ec2QueryClient), c => c.Timeout = TimeSpan.FromSeconds(60));
            // The SDK's chain: environment, shared profile, SSO, then container or instance role. Resolved once;
            // the credentials object refreshes temporary credentials itself.
            var credentials = new Lazy<AWSCredentials>(() => DefaultAWSCredentialsIdentityResolver.GetCredentials());
            services.AddSingleton(new Ec2RequestSigner(() => credentials.Value));
            services.AddSingleton<Ec2QueryClient>();
            services.AddSingleton<Ec2CloudProvider>();
        }

        return aws;
    }
}
