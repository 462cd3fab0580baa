using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>The API alone, with the rate limits a production deployment would have.</summary>
public sealed class AbuseStack : ProvisionerStack
{
    protected override int WorkerCount => 0;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits__PermitsPerSecond"] = "5",
        ["RateLimits__Burst"] = "30",
        ["RateLimits__AnonymousPermitsPerSecond"] = "200",
        ["RateLimits__AnonymousBurst"] = "400",
    };
}
