using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Api.Pools;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>The API and a worker with the refill every second: pools through /api/admin/pools, and a create served warm.</summary>
public sealed class PoolsStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Pools__RefillInterval"] = "00:00:01",
    };
}

/// <summary>
/// Warm pools end to end, through real processes: an operator defines a pool, the worker fills it, a matching create is
/// READY in the answer to its POST with the pool machine's addresses, the pool refills, and a deleted pool drains. The
/// admin API's refusals carry their codes and fields.
/// </summary>
public sealed class PoolsApiTests(PoolsStack stack) : IClassFixture<PoolsStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ServedWarm_ReadyInThePostsAnswer_ThenThePoolRefills_AndADeletedPoolDrains()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/pools", new
        {
            name = "nc6-eastus", provider = "AZURE", instanceType = "Standard_NC6", region = "eastus", min = 1, max = 2, tenants = new[] { ProvisionerStack.Tenant },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var pool = (await created.Content.ReadFromJsonAsync<PoolResponse>(ProvisionerStack.Json))!;
        created.Headers.Location!.ToString().Should().Be($"/api/admin/pools/{pool.Id}");
        (pool.Status, pool.Min, pool.Max, pool.DiskSizeGB, pool.IdleMinutes).Should().Be(("ACTIVE", 1, 2, 100, 10));
        var warm = await WaitForPoolAsync(admin, pool.Id, p => p.Warm == 1);
        var machine = warm.Machines.Single(m => m.State == "WARM");

        var clock = Stopwatch.StartNew();
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        var answered = clock.Elapsed;
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var instance = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;
        instance.Status.Should().Be(InstanceStatus.Ready, $"a warm machine was free (the POST took {answered.TotalMilliseconds:0} ms)");
        instance.CloudInstanceId.Should().Be(machine.CloudInstanceId);
        instance.PublicIp.Should().NotBeNullOrEmpty();
        var attempts = await stack.Client.GetStringAsync($"/api/instances/{instance.Id}/attempts");
        attempts.Should().Contain("WARM").And.Contain("served warm from pool nc6-eastus");

        var refilled = await WaitForPoolAsync(admin, pool.Id, p => p.Warm == 1 && p.Drawn == 1);
        refilled.Machines.Single(m => m.State == "DRAWN").InstanceId.Should().Be(instance.Id);
        (refilled.RequestsToday, refilled.ServedToday, refilled.HitRate).Should().Be((1, 1, 1.0));
        refilled.WarmSecondsToReady.Should().BeLessThan(1);

        using (var outsider = stack.CreateClient(stack.OtherTenantKey))
        using (var theirs = await outsider.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser())))
        {
            (await theirs.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Status
                .Should().Be(InstanceStatus.Provisioning, "tenant-b is not among the pool's tenants");
        }

        using var deleted = await admin.DeleteAsync($"/api/admin/pools/{pool.Id}");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await deleted.Content.ReadFromJsonAsync<PoolResponse>(ProvisionerStack.Json))!.Status.Should().Be("DRAINING");
        var gone = await WaitForPoolAsync(admin, pool.Id, p => p.Status == "DELETED");
        (gone.Warm, gone.Starting).Should().Be((0, 0));
        (await stack.GetInstanceAsync(instance.Id)).Status.Should().Be(InstanceStatus.Ready, "a drawn machine is its instance's, not the pool's");
    }

    [Fact]
    public async Task Create_Invalid_AnswersEachFieldWithItsCode()
    {
        using var admin = stack.CreateClient(stack.AdminKey);

        using var response = await admin.PostAsJsonAsync("/api/admin/pools", new
        {
            name = "Bad Name", provider = "AZURE", instanceType = "Standard_NOPE", region = "mars", min = 3, max = 2, idleMinutes = 0, tenants = new[] { "UPPER" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        ((string)problem["code"]!).Should().Be("validation_failed");
        problem["errors"]!.AsArray().Select(e => ((string)e!["field"]!, (string)e["code"]!)).Should().BeEquivalentTo(new[]
        {
            ("name", "invalid_value"), ("instanceType", "instance_type_not_offered"), ("region", "region_not_offered"),
            ("min", "out_of_range"), ("idleMinutes", "out_of_range"), ("tenants[0]", "invalid_value"),
        });
    }

    [Fact]
    public async Task NameTaken_Is409_UnknownPoolIs404_TenantKeysAreRefused()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        var body = new { name = "taken", provider = "AZURE", instanceType = "Standard_NC6", region = "westeurope", min = 0, max = 1 };
        using (var first = await admin.PostAsJsonAsync("/api/admin/pools", body))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        }

        using var again = await admin.PostAsJsonAsync("/api/admin/pools", body);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        ((string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["code"]!).Should().Be("pool_name_taken");

        using var missing = await admin.GetAsync($"/api/admin/pools/{Guid.NewGuid()}");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        ((string)(await missing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!).Should().Be("pool_not_found");

        using var tenant = await stack.Client.GetAsync("/api/admin/pools");
        tenant.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Patch_ResizesAndRefusesMinAboveMax()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/pools", new { name = "resized", provider = "AZURE", instanceType = "Standard_NC6", region = "westus2" });
        var pool = (await created.Content.ReadFromJsonAsync<PoolResponse>(ProvisionerStack.Json))!;
        (pool.Min, pool.Max).Should().Be((0, 1));

        using var resized = await admin.PatchAsJsonAsync($"/api/admin/pools/{pool.Id}", new { max = 3, autoscale = true, idleMinutes = 2 });
        resized.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = (await resized.Content.ReadFromJsonAsync<PoolResponse>(ProvisionerStack.Json))!;
        (after.Min, after.Max, after.Autoscale, after.IdleMinutes).Should().Be((0, 3, true, 2));

        using var refused = await admin.PatchAsJsonAsync($"/api/admin/pools/{pool.Id}", new { min = 4 });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray().Select(e => (string)e!["field"]!).Should().Equal("min");
        await admin.DeleteAsync($"/api/admin/pools/{pool.Id}");
    }

    private static async Task<PoolResponse> WaitForPoolAsync(HttpClient admin, Guid id, Func<PoolResponse, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var pool = (await admin.GetFromJsonAsync<PoolResponse>($"/api/admin/pools/{id}", ProvisionerStack.Json))!;
            if (condition(pool))
            {
                return pool;
            }

            if (waited.Elapsed > Patience)
            {
                throw new Xunit.Sdk.XunitException($"Pool {id} never met the condition; last: {pool}");
            }

            await Task.Delay(200);
        }
    }
}
