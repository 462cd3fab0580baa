using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Placement;

/// <summary>
/// A capacity refusal sends its offering into an exponential backoff shared through PostgreSQL: doubled by each
/// refusal met after the backoff ran out, not by refusals raced within one, capped, and ended by an accepted launch.
/// Defaults: 1 min initial, 30 min cap. Driven on the harness's manual clock.
/// </summary>
public sealed class OfferingBackoffTests
{
    private static readonly Offering G4dn = new(CloudProviderName.Aws, "g4dn.xlarge", "us-east-1", false);

    /// <summary>PostgreSQL keeps microseconds: a clock on a whole second compares exactly with what it stored.</summary>
    private static async Task<LifecycleHarness> HarnessAsync(string purpose)
    {
        var harness = await LifecycleHarness.CreateAsync(purpose);
        harness.Clock.Set(DateTimeOffset.FromUnixTimeSeconds(harness.Clock.GetUtcNow().ToUnixTimeSeconds()));
        return harness;
    }

    private static async Task<UnavailableOffering?> RowAsync(LifecycleHarness harness, Offering offering) =>
        (await harness.Get<UnavailableOfferings>().AllAsync(CancellationToken.None)).SingleOrDefault(u => u.Offering == offering);

    [Fact]
    public async Task Mark_RefusedAgainAfterEachBackoff_DoublesItUpToTheCap()
    {
        await using var harness = await HarnessAsync("backoff-doubles");
        var sut = harness.Get<UnavailableOfferings>();
        var waits = new List<TimeSpan>();

        for (var refusal = 0; refusal < 8; refusal++)
        {
            await sut.MarkAsync(G4dn, "InsufficientCapacity: AWS returned InsufficientInstanceCapacity: none", CancellationToken.None);
            var row = (await RowAsync(harness, G4dn))!;
            waits.Add(row.Until - harness.Clock.GetUtcNow());
            harness.Clock.Set(row.Until);
        }

        waits.Select(w => w.TotalMinutes).Should().Equal(1, 2, 4, 8, 16, 30, 30, 30);
        (await RowAsync(harness, G4dn))!.Refusals.Should().Be(8);
    }

    [Fact]
    public async Task Mark_SeveralRefusalsWithinOneBackoff_CountOnce()
    {
        await using var harness = await HarnessAsync("backoff-burst");
        var sut = harness.Get<UnavailableOfferings>();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sut.MarkAsync(G4dn, "refused", CancellationToken.None)));
        harness.Clock.Advance(TimeSpan.FromSeconds(30));
        await sut.MarkAsync(G4dn, "refused again, still within the backoff", CancellationToken.None);

        var row = (await RowAsync(harness, G4dn))!;
        row.Refusals.Should().Be(1, "five workers refused at once and a late one within the backoff are one refusal");
        (row.Until - harness.Clock.GetUtcNow()).Should().Be(TimeSpan.FromSeconds(30), "the backoff is not extended by refusals within it");
        row.Reason.Should().Be("refused again, still within the backoff");
    }

    [Fact]
    public async Task Launch_AcceptedOnAnOfferingPastItsBackoff_EndsTheBackoff()
    {
        await using var harness = await HarnessAsync("backoff-reset");
        var instance = await harness.CreateAsync();
        var offering = instance.CurrentOffer.Offering;
        var sut = harness.Get<UnavailableOfferings>();
        await sut.MarkAsync(offering, "refused", CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await sut.MarkAsync(offering, "refused", CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        (await RowAsync(harness, offering))!.Refusals.Should().Be(2);

        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);

        (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().NotBeNull();
        (await RowAsync(harness, offering)).Should().BeNull("the cloud had capacity after all: the count starts again");
        await sut.MarkAsync(offering, "refused", CancellationToken.None);
        (await RowAsync(harness, offering))!.Until.Should().Be(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
    }
}
