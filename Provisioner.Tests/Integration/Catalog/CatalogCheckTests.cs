using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Catalog;

/// <summary>The catalog check against the simulated cloud's list: what it records, that repeating it changes nothing, and that a fixed difference goes away.</summary>
public sealed class CatalogCheckTests
{
    [Fact]
    public async Task Run_CloudLacksOneEntryAndSellsAnother_RecordsBothAndOnlyThoseForTheCheckedCloud()
    {
        await using var harness = await LifecycleHarness.CreateAsync("catalog-check");
        var cloud = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        cloud.Unsold.Add("sim.gpu.large@sim-local-2");
        cloud.AlsoSold.Add("sim.gpu.medium@sim-local-1");
        cloud.AlsoSold.Add("other.family.x@sim-local-1");

        var results = await harness.Get<CatalogCheck>().RunAsync(CancellationToken.None);

        results.Should().ContainSingle("only the simulated cloud has an adapter here; the others would be answered by it")
            .Which.Should().Be(new CatalogCheck.ProviderResult(CloudProviderName.Simulated, true, 2, null));
        (await MismatchesAsync(harness)).Select(m => (m.Region, m.InstanceType, m.Kind)).Should().BeEquivalentTo(new[]
        {
            ("sim-local-2", "sim.gpu.large", CatalogMismatchKind.UnknownToCloud),
            ("sim-local-1", "sim.gpu.medium", CatalogMismatchKind.NotInCatalog),
        }, "a type of a family the catalog does not cover is not the catalog's concern");
    }

    [Fact]
    public async Task Run_Repeated_KeepsOneRowPerMismatchWithItsFirstSightingAndDropsWhatIsFixed()
    {
        await using var harness = await LifecycleHarness.CreateAsync("catalog-check-again");
        var cloud = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        cloud.Unsold.Add("sim.gpu.large@sim-local-2");
        cloud.AlsoSold.Add("sim.gpu.medium@sim-local-1");
        var check = harness.Get<CatalogCheck>();
        await check.RunAsync(CancellationToken.None);
        var first = await MismatchesAsync(harness);

        harness.Clock.Advance(TimeSpan.FromHours(6));
        await check.RunAsync(CancellationToken.None);
        var second = await MismatchesAsync(harness);

        second.Should().HaveCount(2);
        second.Select(m => (m.InstanceType, m.FirstSeenAt)).Should().BeEquivalentTo(first.Select(m => (m.InstanceType, m.FirstSeenAt)));
        second.Should().OnlyContain(m => m.LastSeenAt == first[0].LastSeenAt + TimeSpan.FromHours(6));

        cloud.Unsold.Clear();
        await check.RunAsync(CancellationToken.None);
        (await MismatchesAsync(harness)).Should().ContainSingle().Which.InstanceType.Should().Be("sim.gpu.medium", "the cloud sells the large one again");
    }

    [Fact]
    public async Task Run_CloudSpellsACatalogTypeDifferently_RecordsItAsResolvedNotAsMissing()
    {
        await using var harness = await LifecycleHarness.CreateAsync("catalog-check-spelling");
        var cloud = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        cloud.Unsold.Add("sim.gpu.small@sim-local-1");
        cloud.AlsoSold.Add("SIM.GPU.SMALL@sim-local-1");

        await harness.Get<CatalogCheck>().RunAsync(CancellationToken.None);

        var mismatch = (await MismatchesAsync(harness)).Should().ContainSingle().Subject;
        mismatch.Kind.Should().Be(CatalogMismatchKind.SpelledDifferently);
        mismatch.CloudName.Should().Be("SIM.GPU.SMALL");
    }

    private static async Task<List<CatalogMismatch>> MismatchesAsync(LifecycleHarness harness)
    {
        await using var db = await harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContextAsync();
        return await db.CatalogMismatches.AsNoTracking().OrderBy(m => m.InstanceType).ToListAsync();
    }
}
