using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Costs;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>
/// Warm idle time is billed to the pool: from the machine's launch until the draw, at its price, shown in /api/costs as
/// pool overhead for a pool kept for one tenant (beside its spend), and counted in its savings report's actual cost.
/// </summary>
public sealed class PoolOverheadTests
{
    [Fact]
    public async Task WarmIdleTime_IsThePoolsOverhead_InTheDedicatedTenantsCostsAndSavings_NotInAnothers()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-overhead");
        var pool = await harness.CreatePoolAsync("dedicated", min: 1, max: 1, tenants: [LifecycleHarness.Tenant]);
        var from = harness.Clock.GetUtcNow().AddHours(-1);
        await harness.WarmUpAsync(pool);
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var instance = await harness.CreateAsync();
        instance.Status.Should().Be(InstanceStatus.Ready);
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var drawn = (await harness.MachinesAsync(pool)).Single();
        var expected = decimal.Round(drawn.PricePerHour * (decimal)(drawn.DrawnAt!.Value - drawn.LaunchedAt!.Value).TotalSeconds / 3600m, 6);
        expected.Should().BeGreaterThan(0);
        var to = harness.Clock.GetUtcNow().AddHours(1);
        var costs = new CostQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Get<InstanceTypeCatalog>(), harness.Clock);

        var daily = await costs.DailyAsync(LifecycleHarness.Tenant, from, to, CancellationToken.None);
        var savings = await costs.SavingsAsync(LifecycleHarness.Tenant, from, to, CancellationToken.None);
        var others = await costs.DailyAsync("tenant-b", from, to, CancellationToken.None);

        daily.PoolOverhead.Should().Be(Money.Round(expected), "the pool pays from the launch until the draw, not after");
        daily.Days.Sum(d => d.PoolOverhead).Should().Be(daily.PoolOverhead);
        savings.PoolOverhead.Should().Be(Money.Round(expected));
        var type = savings.ByInstanceType.Single(t => t.InstanceType == "sim.gpu.small");
        type.ActualCost.Should().BeGreaterThanOrEqualTo(type.PoolOverhead, "the actual cost counts the warm machines");
        type.PoolOverhead.Should().Be(Money.Round(expected));
        others.PoolOverhead.Should().Be(0, "another tenant does not pay for a pool kept for someone else");

        await using var db = harness.Database.CreateDbContext();
        var all = await PoolOverheadReport.DailyAsync(db, null, from, to, harness.Clock.GetUtcNow(), CancellationToken.None);
        all.Where(o => o.PoolId == pool.Id).Sum(o => o.Cost).Should().Be(expected, "operators see every pool's overhead");
    }
}
