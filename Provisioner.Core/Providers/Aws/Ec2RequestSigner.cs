using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// Signs EC2 Query requests with AWSSDK.Core's own SigV4 signer and credentials from its standard chain.
/// AWSSDK.EC2 is not obtainable here; the protocol is small enough to speak over HttpClient, but the crypto
/// and the credential chain are the SDK's.
/// </summary>
internal sealed class Ec2RequestSigner(Func<AWSCredentials> credentials)
{
    private readonly AWS4Signer _signer = new();

    /// <summary>The headers to send with a POST of <paramref name="body"/> to <paramref name="endpoint"/> for <paramref name="region"/>.</summary>
    public IDictionary<string, string> Sign(Uri endpoint, string region, byte[] body, string contentType)
    {
        var request = new DefaultRequest(new Ec2SignedRequest(), "EC2")
        {
            HttpMethod = "POST",
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = "/",
            Content = body,
            AuthenticationRegion = region,
        };
        request.Headers["Content-Type"] = contentType;
        // The service name is stated, not derived from the host: an endpoint override (a local EC2, a VPC endpoint) has no "ec2" in it.
        var config = new Ec2SigningConfig { AuthenticationRegion = region, AuthenticationServiceName = "ec2", ServiceURL = endpoint.ToString() };
        _signer.Sign(request, config, null, credentials());
        return request.Headers;
    }

    private sealed class Ec2SignedRequest : AmazonWebServiceRequest;
}
