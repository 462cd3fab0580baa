using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Costs;
using Provisioner.Api.Instances;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Costs;

/// <summary>The reports on a history small enough to compute by hand.</summary>
public sealed class CostReportTests
{
    private const string Owner = LifecycleHarness.Tenant;
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Savings_OnAHandComputedDay_ComparesSpendWithTheSameTypesAlwaysOn()
    {
        await using var harness = await SeedAsync("savings");
        var sut = new CostQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Get<InstanceTypeCatalog>(), harness.Clock);

        var report = await sut.SavingsAsync(Owner, Day, Day.AddDays(1), CancellationToken.None);

        // Standard_NC6 at 0.90/h: two overlapping (peak 2), 60 and 90 minutes, per started minute: 0.90 + 1.35.
        // p3.2xlarge at 3.06/h: one, 30 s, billed at AWS's 60 s minimum: 0.051.
        // Always on for 24 h: 24 × 0.90 × 2 + 24 × 3.06 × 1 = 43.2 + 73.44 = 116.64; spent 2.301; saved 114.339 (98.03%).
        report.ByInstanceType.Should().BeEquivalentTo(new[]
        {
            new { Provider = CloudProviderName.Aws, InstanceType = "p3.2xlarge", PeakConcurrent = 1, PricePerHour = 3.06m, AlwaysOnCost = 73.44m, ActualCost = 0.051m },
            new { Provider = CloudProviderName.Azure, InstanceType = "Standard_NC6", PeakConcurrent = 2, PricePerHour = 0.9m, AlwaysOnCost = 43.2m, ActualCost = 2.25m },
        }, o => o.WithStrictOrdering());
        report.Should().BeEquivalentTo(new { ActualCost = 2.301m, AlwaysOnCost = 116.64m, Saving = 114.339m, SavingPercent = 98.03m });
    }

    [Fact]
    public async Task Daily_GivesEveryDayOfThePeriod_WithZeroWhereNothingRan()
    {
        await using var harness = await SeedAsync("daily");
        var sut = new CostQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Get<InstanceTypeCatalog>(), harness.Clock);

        var report = await sut.DailyAsync(Owner, Day.AddDays(-1), Day.AddDays(2), CancellationToken.None);

        report.Days.Select(d => (d.Date, d.Cost)).Should().Equal(("2026-11-09", 0m), ("2026-11-10", 2.301m), ("2026-11-11", 0m));
        report.Total.Should().Be(2.301m);
        report.AsOf.Should().Be(harness.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Statistics_OverARange_GroupedByProvider_CountOnlyWhatWasRequestedInIt()
    {
        await using var harness = await SeedAsync("stats-range");
        var sut = new InstanceQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Clock);

        var stats = await sut.StatisticsAsync(Owner, new StatisticsQuery(From: Day, To: Day.AddHours(4), GroupBy: StatisticsGrouping.Provider), CancellationToken.None);
        var none = await sut.StatisticsAsync(Owner, new StatisticsQuery(From: Day.AddDays(1), To: Day.AddDays(2)), CancellationToken.None);

        stats.TotalProvisioned.Should().Be(2, "the AWS instance was requested after the range");
        stats.TotalCost.Should().Be(2.25m);
        stats.Groups.Should().BeEquivalentTo(new[] { new { Key = "AZURE", TotalProvisioned = 2, TotalCost = 2.25m, AverageCost = 1.125m } });
        none.TotalProvisioned.Should().Be(0);
        none.TotalCost.Should().Be(0m);
    }

    private static async Task<LifecycleHarness> SeedAsync(string purpose)
    {
        var harness = await LifecycleHarness.CreateAsync(purpose);
        try
        {
            await CostHistory.SaveAsync(harness,
            [
                CostHistory.Launched(Owner, CloudProviderName.Azure, "Standard_NC6", 0.9m, Day.AddHours(1), Day.AddHours(2), shutdown: TimeSpan.Zero),
                CostHistory.Launched(Owner, CloudProviderName.Azure, "Standard_NC6", 0.9m, Day.AddHours(1.5), Day.AddHours(3), shutdown: TimeSpan.Zero),
                CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day.AddHours(5), Day.AddHours(5).AddSeconds(30)),
                CostHistory.Launched("someone-else", CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day.AddHours(5), Day.AddHours(9)),
            ]);
            harness.Clock.Set(Day.AddHours(30));
            await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }
}
