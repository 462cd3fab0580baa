using System.Collections.Concurrent;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// One <see cref="AmazonEC2Client"/> per region, made once and kept: EC2 addresses machines per region, and the
/// clients are thread-safe and pool their connections.
/// </summary>
/// <param name="credentials">Null: the SDK's default chain (environment, shared profile, SSO, container or instance role).</param>
internal sealed class AwsClientFactory(IOptions<AwsOptions> options, AWSCredentials? credentials = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IAmazonEC2>> _clients = new(StringComparer.Ordinal);

    public IAmazonEC2 For(string region) =>
        _clients.GetOrAdd(region, r => new Lazy<IAmazonEC2>(() => Create(r, options.Value, credentials))).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private static AmazonEC2Client Create(string region, AwsOptions settings, AWSCredentials? credentials)
    {
        var config = new AmazonEC2Config
        {
            // The resilience pipeline in front of every adapter owns retries; SDK retries under it would multiply calls.
            MaxErrorRetry = 0,
            Timeout = settings.CallTimeout,
        };
        if (settings.Endpoint is { } endpoint)
        {
            // A local EC2 or a VPC endpoint: the URL is ours, the signature still names the machine's region.
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return credentials is null ? new AmazonEC2Client(config) : new AmazonEC2Client(credentials, config);
    }
}
