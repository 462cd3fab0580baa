using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Relaunch;

/// <summary>The API and a real worker process: the machine watch at its default period, the relaunch steps as real jobs.</summary>
public sealed class RelaunchStack : ProvisionerStack;

/// <summary>
/// A spot reclaim of an instance that asked for relaunch, end to end: the real worker notices it, relaunches the same
/// instance on exactly one new machine, brings it READY again, terminates the reclaimed one and lists both machines
/// with their bills, which add up to the instance's cost.
/// </summary>
public sealed class RelaunchProcessTests(RelaunchStack stack) : IClassFixture<RelaunchStack>
{
    [Fact]
    public async Task Preempted_RelaunchAsked_IsReadyAgainOnOneNewMachine_WithTheSameId()
    {
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        body["onInterruption"] = "relaunch";
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", body);
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var created = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;
        created.OnInterruption.Should().Be("relaunch");
        var (first, _) = await stack.WaitForStatusAsync(created.Id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));

        await new SimulatedCloudControl(stack.Database.DataSource).PreemptAsync(first.CloudInstanceId!, TimeProvider.System.GetUtcNow(), CancellationToken.None);

        var again = await WaitUntilAsync(created.Id, i => i is { Status: InstanceStatus.Ready, Interruptions: 1 }, TimeSpan.FromSeconds(60));
        again.Id.Should().Be(first.Id);
        again.CloudInstanceId.Should().NotBe(first.CloudInstanceId, "a new machine");
        var machines = await WaitForMachinesAsync(created.Id, m => m[0]!["releasedAt"] is not null, TimeSpan.FromSeconds(30));
        machines.Select(m => (string)m!["cloudInstanceId"]!).Should().Equal(first.CloudInstanceId, again.CloudInstanceId);
        machines.Select(m => (bool)m!["current"]!).Should().Equal(false, true);
        var live = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1 AND terminate_requested_at IS NULL", created.Id.ToString());
        live.Should().Be(1, "the reclaimed machine was terminated, and exactly one new machine runs");
        var total = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", created.Id.ToString());
        total.Should().Be(2);
        var events = (await stack.Client.GetFromJsonAsync<JsonObject>($"/api/instances/{created.Id}/events"))!["events"]!.AsArray();
        events.Count(e => (string?)e!["to"] == "READY").Should().Be(2, "READY again after the relaunch");
    }

    private async Task<InstanceResponse> WaitUntilAsync(Guid id, Func<InstanceResponse, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var instance = await stack.GetInstanceAsync(id);
            if (condition(instance))
            {
                return instance;
            }

            if (waited.Elapsed > timeout || InstanceLifecycle.IsFinal(instance.Status))
            {
                throw new Xunit.Sdk.XunitException($"Instance {id} is {instance.Status} with {instance.Interruptions} interruptions: {instance.FailureReason}\n{stack.Logs()}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<JsonArray> WaitForMachinesAsync(Guid id, Func<JsonArray, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var machines = (await stack.Client.GetFromJsonAsync<JsonObject>($"/api/instances/{id}/machines"))!["machines"]!.AsArray();
            if (machines.Count == 2 && condition(machines))
            {
                return machines;
            }

            if (waited.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"Instance {id}'s machines: {machines.ToJsonString()}\n{stack.Logs()}");
            }

            await Task.Delay(100);
        }
    }
}
