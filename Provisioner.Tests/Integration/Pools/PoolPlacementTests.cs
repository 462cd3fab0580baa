using Provisioner.Core.Instances;
using Provisioner.Core.Placement;
using Provisioner.Core.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>
/// Placement and pools: a request stating needs takes a warm machine of a dearer fitting offer over the cheapest cold one
/// only when it says <c>preferWarm</c> (or the difference is within <c>Pools:WarmPriceDifference</c>), and says so on its attempts.
/// </summary>
public sealed class PoolPlacementTests
{
    [Fact]
    public async Task PreferWarm_TakesTheWarmDearerOffer_AndSaysWhy_WithoutIt_TheCheapestLaunchesCold()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-prefer-warm");
        // T4 on Azure in eastus: Standard_NC4as_T4_v3 at 0.526/h is the cheapest; the pool keeps Standard_NC8as_T4_v3 (0.752/h).
        var pool = await harness.Get<PoolCommands>().CreateAsync(new PoolDefinition(
            "t4-dearer", CloudProviderName.Azure, "Standard_NC8as_T4_v3", "eastus", 100, new PoolSize(2, 2, 10, false), []), CancellationToken.None);
        await harness.WarmUpAsync(pool);

        var cold = (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, Needs(preferWarm: false), null, CancellationToken.None)).Instance;
        var warm = (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, Needs(preferWarm: true), null, CancellationToken.None)).Instance;

        (cold.Status, cold.InstanceType).Should().Be((InstanceStatus.Provisioning, "Standard_NC4as_T4_v3"), "the cheapest offer, launched cold, without preferWarm");
        (warm.Status, warm.InstanceType, warm.CostPerHour).Should().Be((InstanceStatus.Ready, "Standard_NC8as_T4_v3", 0.752m));
        var attempt = (await harness.Get<LaunchAttemptLog>().ForAsync(warm.Id, CancellationToken.None)).Single();
        attempt.Outcome.Should().Be(LaunchAttemptOutcome.Warm);
        attempt.Detail.Should().Contain("served warm from pool t4-dearer").And.Contain("preferred over the cold AZURE Standard_NC4as_T4_v3").And.Contain("preferWarm");
        warm.PlacementPlan!.Offers.Select(o => o.InstanceType).Should().Contain("Standard_NC4as_T4_v3", "the cheaper offers stay in the plan as fallbacks");
    }

    private static InstanceSpec Needs(bool preferWarm) => new(
        "user-1", "task-1", "placement", default, "", "", 50, 60, new Dictionary<string, string>(),
        Needs: new PlacementRequest("T4", 1, null, null, new HashSet<CloudProviderName> { CloudProviderName.Azure }, new HashSet<string> { "eastus" },
            SpotPreference.Never, preferWarm));
}
