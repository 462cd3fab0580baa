using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Queries;

/// <summary>The statistics sum live cost in the database; the sum must be what each instance itself says it costs.</summary>
public sealed class StatisticsCostTests
{
    [Fact]
    public async Task Stats_LiveCostSummedInSql_EqualsEachInstancesOwnCostNow()
    {
        await using var harness = await LifecycleHarness.CreateAsync("stats-live-cost");
        var live = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var instance = await harness.CreateAsync(autoTerminateMinutes: 120);
            await harness.BringUpAsync(instance.Id);
            live.Add(instance.Id);
            harness.Clock.Advance(TimeSpan.FromMinutes(7) + TimeSpan.FromMilliseconds(333 * (i + 1)));
        }

        var notLaunched = await harness.CreateAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(41));
        var sut = new InstanceQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Clock);

        var stats = await sut.StatisticsAsync(LifecycleHarness.Tenant, new StatisticsQuery(), CancellationToken.None);

        var now = harness.Clock.GetUtcNow();
        var expected = 0m;
        foreach (var id in live)
        {
            expected += (await harness.ReloadAsync(id)).CostAt(now);
        }

        expected.Should().BeGreaterThan(0m);
        (await harness.ReloadAsync(notLaunched.Id)).CostAt(now).Should().Be(0m, "nothing is billed before a machine runs");
        stats.TotalCost.Should().Be(Money.Round(expected));
        stats.TotalProvisioned.Should().Be(4);
    }
}
