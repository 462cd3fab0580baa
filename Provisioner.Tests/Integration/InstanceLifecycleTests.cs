using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>The walking skeleton, end to end: a real API and a real worker process on a real PostgreSQL.</summary>
public sealed class InstanceLifecycleTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Post_ThenDelete_MovesInstanceThroughEveryStateWithTimestampsAndCost()
    {
        var userId = InstanceRequestBuilder.UniqueUser();

        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(userId));
        post.StatusCode.Should().Be(HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
        var created = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!;
        created.Success.Should().BeTrue();
        created.Instance.Status.Should().Be(InstanceStatus.Provisioning);
        created.Instance.Provider.Should().Be(CloudProviderName.Azure);
        created.Instance.CostPerHour.Should().Be(0.90m);
        created.Instance.TotalCost.Should().Be(0m);
        created.Instance.Tags.Should().Contain("project", "medical-analysis");
        post.Headers.Location!.ToString().Should().Be($"/api/instances/{created.Instance.Id}");
        var id = created.Instance.Id;

        var (ready, seenUntilReady) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        seenUntilReady.Should().BeSubsetOf([InstanceStatus.Provisioning, InstanceStatus.Configuring, InstanceStatus.Ready]);
        ready.Backend.Should().Be("SIMULATED", "no real cloud is configured, so the simulated cloud stands in for AZURE");
        ready.CloudInstanceId.Should().StartWith("sim-");
        ready.PublicIp.Should().MatchRegex(@"^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$", "public addresses come from documentation ranges");
        ready.PrivateIp.Should().StartWith("10.0.");
        ready.LaunchedAt.Should().NotBeNull().And.BeOnOrAfter(ready.CreatedAt);
        ready.ReadyAt.Should().NotBeNull().And.BeOnOrAfter(ready.LaunchedAt!.Value);
        ready.AutoTerminateAt.Should().Be(ready.CreatedAt.AddMinutes(60));

        ready.TotalCost.Should().Be(0.015m, "Azure bills per started minute: the first minute at $0.90/h is charged as soon as the machine runs");

        using var delete = await stack.Client.DeleteAsync($"/api/instances/{id}");
        delete.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await delete.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Status.Should().Be(InstanceStatus.Stopping);

        var (terminated, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);
        terminated.TerminatedAt.Should().NotBeNull().And.BeOnOrAfter(terminated.ReadyAt!.Value);
        var startedMinutes = Math.Ceiling((terminated.TerminatedAt!.Value - terminated.LaunchedAt!.Value).TotalMinutes);
        terminated.TotalCost.Should().Be(Money.Round(0.90m * (decimal)startedMinutes / 60m), "Azure bills each started minute at the hourly price");
        (await stack.Database.ScalarAsync<decimal>("SELECT total_cost FROM provisioner.instances WHERE id = $1", id))
            .Should().Be(terminated.TotalCost, "the final cost is stored, and a read computes the same");

        var machineGone = await stack.Database.ScalarAsync<bool>(
            "SELECT terminate_requested_at IS NOT NULL FROM simulated_cloud.machines WHERE id = $1", terminated.CloudInstanceId!);
        machineGone.Should().BeTrue("the cloud was asked to terminate the machine");

        var timeline = (await stack.Client.GetFromJsonAsync<InstanceEventsEnvelope>($"/api/instances/{id}/events", ProvisionerStack.Json))!;
        timeline.Events.Select(e => e.To).Should().Equal(
            InstanceStatus.Provisioning, InstanceStatus.Configuring, InstanceStatus.Ready, InstanceStatus.Stopping, InstanceStatus.Terminated);
        timeline.Events.Select(e => e.At).Should().BeInAscendingOrder();
        timeline.Events[3].Cause.Should().Contain("client");
    }

    [Fact]
    public async Task Post_SchedulesAutoTerminationAtTheDeadline()
    {
        var request = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "AWS", "g4dn.xlarge", "us-east-1");
        request["config"]!["autoTerminateMinutes"] = 30;

        using var post = await stack.Client.PostAsJsonAsync("/api/instances", request);
        var instance = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;

        instance.AutoTerminateAt.Should().Be(instance.CreatedAt.AddMinutes(30));
        var due = await stack.Database.ScalarAsync<DateTimeOffset>(
            "SELECT run_at FROM provisioner.pending_work WHERE instance_id = $1 AND kind = 'AutoTerminate'", instance.Id);
        due.Should().BeCloseTo(instance.AutoTerminateAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Delete_Repeated_IsHarmlessAndTerminatesOnce()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);

        using var first = await stack.Client.DeleteAsync($"/api/instances/{id}");
        using var second = await stack.Client.DeleteAsync($"/api/instances/{id}");
        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted, "a repeat while stopping reports the stop in progress");

        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);
        using var third = await stack.Client.DeleteAsync($"/api/instances/{id}");
        third.StatusCode.Should().Be(HttpStatusCode.OK, "deleting a terminated instance is a harmless repeat");
        (await third.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Status.Should().Be(InstanceStatus.Terminated);

        var stops = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM provisioner.instance_events WHERE instance_id = $1 AND to_status = 'STOPPING'", id);
        stops.Should().Be(1);
    }

    [Fact]
    public async Task Delete_WhileProvisioning_EndsTerminatedWithNoMachineLeftRunning()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        using var delete = await stack.Client.DeleteAsync($"/api/instances/{id}");
        delete.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var (terminated, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);
        terminated.ReadyAt.Should().BeNull("the stop came before the machine was ready");
        var liveMachines = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1 AND terminate_requested_at IS NULL",
            id.ToString());
        liveMachines.Should().Be(0);
    }

    [Fact]
    public async Task GetAndDelete_UnknownId_Answer404Problem()
    {
        var id = Guid.NewGuid();
        foreach (var response in new[] { await stack.Client.GetAsync($"/api/instances/{id}"), await stack.Client.DeleteAsync($"/api/instances/{id}") })
        {
            using (response)
            {
                response.StatusCode.Should().Be(HttpStatusCode.NotFound);
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                problem["code"]!.GetValue<string>().Should().Be("instance_not_found");
                problem["status"]!.GetValue<int>().Should().Be(404);
            }
        }
    }
}
