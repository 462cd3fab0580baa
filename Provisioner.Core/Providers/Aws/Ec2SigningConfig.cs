using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace Provisioner.Core.Providers.Aws;

/// <summary>What the SDK signer needs to know of the service: its name in signatures and its API version.</summary>
internal sealed class Ec2SigningConfig()
    : ClientConfig(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard }]))
{
    public override string RegionEndpointServiceName => "ec2";

    public override string ServiceVersion => Ec2QueryClient.ApiVersion;

    public override string UserAgent => "provisioner";

    /// <summary>The signer only asks for the endpoint it was told: ours is chosen by the caller, per region.</summary>
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
}
