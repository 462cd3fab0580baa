using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// The one <see cref="ArmClient"/> of this process, made on first use and kept: it is thread-safe, pools its
/// connections and caches its token.
/// </summary>
/// <param name="credential">Null: <see cref="DefaultAzureCredential"/> (environment, workload identity, managed identity, Azure CLI).</param>
/// <param name="transport">Null: Azure.Core's own HTTP transport. Tests give one that trusts the local ARM's certificate.</param>
internal sealed class ArmClientFactory(IOptions<AzureOptions> options, TokenCredential? credential = null, HttpPipelineTransport? transport = null)
{
    private readonly Lazy<ArmClient> _client = new(() => Create(options.Value, credential, transport));

    public ArmClient Client => _client.Value;

    private static ArmClient Create(AzureOptions settings, TokenCredential? credential, HttpPipelineTransport? transport)
    {
        var arm = new ArmClientOptions();
        // The resilience pipeline in front of every adapter owns retries; SDK retries under it would multiply calls.
        arm.Retry.MaxRetries = 0;
        arm.Retry.NetworkTimeout = settings.CallTimeout;
        if (settings.Endpoint is { } endpoint)
        {
            arm.Environment = new ArmEnvironment(endpoint, settings.Audience ?? ArmEnvironment.AzurePublicCloud.Audience);
        }

        if (transport is not null)
        {
            arm.Transport = transport;
        }

        // The NIC and public IP are read as generic resources; a pinned version spares a provider lookup per read.
        arm.SetApiVersion(new ResourceType("Microsoft.Network/networkInterfaces"), AzureDefaults.NetworkApiVersion);
        arm.SetApiVersion(new ResourceType("Microsoft.Network/publicIPAddresses"), AzureDefaults.NetworkApiVersion);
        return new ArmClient(credential ?? new DefaultAzureCredential(), settings.SubscriptionId, arm);
    }
}
