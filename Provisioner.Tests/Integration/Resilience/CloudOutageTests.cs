using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Resilience;

/// <summary>A cloud that fails every call, and a worker whose breaker opens after two failures.</summary>
public sealed class CloudOutageStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Simulated__ErrorRate"] = "1.0",
        ["Resilience__Defaults__MaxRetryAttempts"] = "0",
        ["Resilience__Defaults__CircuitMinimumThroughput"] = "2",
        ["Resilience__Defaults__CircuitBreakDuration"] = "00:01:00",
        ["Lifecycle__CloudRetryInitialDelay"] = "00:00:00.200",
    };
}

/// <summary>During a cloud outage the API keeps answering from its records, accepts requests, and says which provider is down.</summary>
public sealed class CloudOutageTests(CloudOutageStack stack) : IClassFixture<CloudOutageStack>
{
    [Fact]
    public async Task Outage_OpensTheCircuit_ApiStaysUpDegradedAndRequestsWait()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
            post.StatusCode.Should().Be(HttpStatusCode.Accepted, "requests are accepted whatever the cloud is doing");
            ids.Add((await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id);
        }

        var waited = Stopwatch.StartNew();
        JsonNode health;
        while (true)
        {
            using var response = await stack.Client.GetAsync("/health/ready");
            response.StatusCode.Should().Be(HttpStatusCode.OK, "a degraded API is still ready to take requests");
            health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            // Wait on the providers' check itself: with every call failing, reconciliation or the machine watch may
            // degrade the overall status before the breaker has seen its two failures.
            if (health["checks"]!["providers"]!["status"]!.GetValue<string>() == "Degraded")
            {
                break;
            }

            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"the worker's breaker opens after two failures\n{stack.Logs()}");
            await Task.Delay(200);
        }

        health["status"]!.GetValue<string>().Should().Be("Degraded", "a degraded check degrades the whole");
        var providers = health["checks"]!["providers"]!;
        providers["description"]!.GetValue<string>().Should().Contain("SIMULATED/eastus");
        providers["data"]!.AsObject().Select(p => p.Key).Should().ContainSingle().Which.Should().Be("SIMULATED/eastus@worker-1");

        foreach (var id in ids)
        {
            var instance = await stack.GetInstanceAsync(id);
            instance.Status.Should().Be(InstanceStatus.Provisioning, "the request waits for the circuit to close");
            instance.FailureReason.Should().BeNull();
        }
    }
}
