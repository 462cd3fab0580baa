using System.Net;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>An API whose anonymous budget is one request at a time.</summary>
public sealed class StingyStack : ProvisionerStack
{
    protected override int WorkerCount => 0;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits__AnonymousPermitsPerSecond"] = "1",
        ["RateLimits__AnonymousBurst"] = "1",
    };
}

/// <summary>Rate limits hold back callers, never the load balancer's probes.</summary>
public sealed class ProbeRateLimitTests(StingyStack stack) : IClassFixture<StingyStack>
{
    [Fact]
    public async Task HealthProbes_AreNeverLimited_WhileAnonymousCallersAre()
    {
        using var anonymous = stack.CreateClient(null);

        var calls = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => anonymous.GetAsync("/api/instance-types")));
        var probes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => anonymous.GetAsync(i % 2 == 0 ? "/health/live" : "/health/ready")));

        calls.Should().Contain(r => r.StatusCode == HttpStatusCode.TooManyRequests, "one anonymous request a second is the budget");
        probes.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in calls.Concat(probes))
        {
            response.Dispose();
        }
    }
}
