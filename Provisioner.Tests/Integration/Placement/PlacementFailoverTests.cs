using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Placement;

/// <summary>
/// A request stating needs is placed on the cheapest fitting offer; a capacity refusal moves its launch down the plan
/// (another type, region or cloud) instead of failing it, every process then skips the refused offering, and only a
/// spent plan fails the instance, listing every attempt. Steps run by hand on the harness's manual clock.
/// </summary>
public sealed class PlacementFailoverTests
{
    // T4s on AWS and Azure, two regions, under 1 USD/h: g4dn.xlarge us-east-1 (0.526), NC4as_T4_v3 eastus (0.526),
    // NC8as_T4_v3 eastus (0.752), cheapest first (ties by provider).
    private static PlacementRequest T4Needs(SpotPreference spot = SpotPreference.Never, decimal? maxPrice = 1.0m) => new(
        "T4", 1, 16, maxPrice, new HashSet<CloudProviderName> { CloudProviderName.Aws, CloudProviderName.Azure },
        new HashSet<string>(StringComparer.Ordinal) { "us-east-1", "eastus" }, spot);

    private static InstanceSpec NeedsSpec(PlacementRequest needs) => new(
        "user-1", "task-1", "placement", default, "", "", 50, 60, new Dictionary<string, string>(), Needs: needs);

    private static async Task<Instance> CreateAsync(LifecycleHarness harness, PlacementRequest needs) =>
        (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, NeedsSpec(needs), null, CancellationToken.None)).Instance;

    /// <summary>Runs the launch step while the instance is still waiting to launch, as the job engine would.</summary>
    private static async Task LaunchUntilSettledAsync(LifecycleHarness harness, Guid id, int maxSteps = 10)
    {
        for (var step = 0; step < maxSteps && await harness.IsScheduledAsync(InstanceWorkKind.Create, id); step++)
        {
            await harness.RunPendingAsync(InstanceWorkKind.Create, id);
        }
    }

    private static async Task<IReadOnlyList<LaunchAttempt>> AttemptsAsync(LifecycleHarness harness, Guid id) =>
        await harness.Get<LaunchAttemptLog>().ForAsync(id, CancellationToken.None);

    [Fact]
    public async Task Create_WithNeeds_PlacesOnTheCheapestFittingOffer_AndKeepsTheFallbacks()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-cheapest");

        var sut = await CreateAsync(harness, T4Needs());

        (sut.Provider, sut.InstanceType, sut.Region).Should().Be((CloudProviderName.Aws, "g4dn.xlarge", "us-east-1"));
        sut.CostPerHour.Should().Be(0.526m);
        sut.PlacementPlan!.Offers.Select(o => $"{o.InstanceType}@{o.Region}").Should().Equal(
            "g4dn.xlarge@us-east-1", "Standard_NC4as_T4_v3@eastus", "Standard_NC8as_T4_v3@eastus");
        sut.WorstCasePricePerHour.Should().Be(1.0m, "the budget holds the request's ceiling, whichever offer it ends on");
    }

    [Fact]
    public async Task Launch_CapacityRefusedOnTheFirstTwoOffers_EndsReadyOnTheThird_AndTheNextRequestSkipsTheRefused()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-failover");
        harness.Cloud.NoCapacityFor = spec => spec.InstanceType is "g4dn.xlarge" or "Standard_NC4as_T4_v3";
        var instance = await CreateAsync(harness, T4Needs());

        await LaunchUntilSettledAsync(harness, instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(instance.Id);

        var ready = await harness.ReloadAsync(instance.Id);
        ready.Status.Should().Be(InstanceStatus.Ready);
        (ready.Provider, ready.InstanceType, ready.Region).Should().Be((CloudProviderName.Azure, "Standard_NC8as_T4_v3", "eastus"));
        ready.CostPerHour.Should().Be(0.752m, "the price follows the offer actually launched");
        ready.Billing.Should().Be(harness.Get<Provisioner.Core.Billing.BillingRules>().For(CloudProviderName.Azure));
        (await AttemptsAsync(harness, instance.Id)).Select(a => (a.Number, a.InstanceType, a.Outcome)).Should().Equal(
            (1, "g4dn.xlarge", LaunchAttemptOutcome.Refused),
            (2, "Standard_NC4as_T4_v3", LaunchAttemptOutcome.Refused),
            (3, "Standard_NC8as_T4_v3", LaunchAttemptOutcome.Launched));
        harness.Cloud.Launches.Select(l => l.IdempotencyToken).Should().OnlyHaveUniqueItems("each offer is its own launch, with its own token")
            .And.Contain(LaunchTokens.For(instance.Id));
        (await harness.MachinesForAsync(instance.Id)).Should().Be(1, "refused offers started nothing");

        // The refusals are shared memory: the next request starts on the offer that has capacity.
        var launchesBefore = harness.Cloud.LaunchCalls;
        var second = await CreateAsync(harness, T4Needs());
        second.InstanceType.Should().Be("Standard_NC8as_T4_v3");
        await harness.BringUpAsync(second.Id);
        (harness.Cloud.LaunchCalls - launchesBefore).Should().Be(1, "the refused offerings are skipped, not asked again");
    }

    [Fact]
    public async Task Launch_SpotPreferredRefused_FallsBackToOnDemand()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-spot");
        harness.Cloud.NoCapacityFor = spec => spec.SpotMaxPrice is not null;
        var instance = await CreateAsync(harness, T4Needs(SpotPreference.Preferred) with { Regions = new HashSet<string> { "us-east-1" } });
        instance.SpotMaxPrice.Should().NotBeNull("spot comes first when preferred");

        await LaunchUntilSettledAsync(harness, instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(instance.Id);

        var ready = await harness.ReloadAsync(instance.Id);
        ready.Status.Should().Be(InstanceStatus.Ready);
        ready.SpotMaxPrice.Should().BeNull("the machine is on-demand");
        ready.CostIsEstimate.Should().BeFalse();
        (await AttemptsAsync(harness, instance.Id)).Select(a => (a.Spot, a.Outcome)).Should().Equal(
            (true, LaunchAttemptOutcome.Refused), (false, LaunchAttemptOutcome.Launched));
    }

    [Fact]
    public async Task Create_NothingWithinTheMaxPrice_IsRefusedWithNothingWritten()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-price");

        var act = () => CreateAsync(harness, T4Needs(maxPrice: 0.10m));

        (await act.Should().ThrowAsync<NoOfferException>()).Which.OverPrice.Should().BeTrue();
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(0);
    }

    [Fact]
    public async Task Launch_EveryOfferRefused_FailsListingEveryAttempt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-exhausted");
        harness.Cloud.NoCapacityFor = _ => true;
        var instance = await CreateAsync(harness, T4Needs());

        await LaunchUntilSettledAsync(harness, instance.Id);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().StartWith("every allowed offer was tried (3): ")
            .And.Contain("1. AWS g4dn.xlarge in us-east-1 (on-demand)")
            .And.Contain("2. AZURE Standard_NC4as_T4_v3 in eastus (on-demand)")
            .And.Contain("3. AZURE Standard_NC8as_T4_v3 in eastus (on-demand)")
            .And.Contain("InsufficientInstanceCapacity");
        (await AttemptsAsync(harness, instance.Id)).Should().HaveCount(3).And.OnlyContain(a => a.Outcome == LaunchAttemptOutcome.Refused);
        harness.Cloud.LaunchCalls.Should().Be(3);
        (await harness.MachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Launch_LaterOffersMarkedUnavailableByOthers_AreSkippedAndListed()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-skip");
        var instance = await CreateAsync(harness, T4Needs());
        // Another worker met no capacity on the third offer meanwhile.
        await harness.Get<UnavailableOfferings>().MarkAsync(
            new Offering(CloudProviderName.Azure, "Standard_NC8as_T4_v3", "eastus", false), "refused elsewhere", CancellationToken.None);
        harness.Cloud.NoCapacityFor = spec => spec.InstanceType != "Standard_NC8as_T4_v3";

        await LaunchUntilSettledAsync(harness, instance.Id);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        (await AttemptsAsync(harness, instance.Id)).Select(a => a.Outcome).Should().Equal(
            LaunchAttemptOutcome.Refused, LaunchAttemptOutcome.Refused, LaunchAttemptOutcome.Skipped);
        harness.Cloud.LaunchCalls.Should().Be(2, "the skipped offer is not asked");
    }

    [Fact]
    public async Task CapacityFailureAfterAcceptance_DeletesTheFailedMachine_AndFailsOverToTheNextOffer()
    {
        await using var harness = await LifecycleHarness.CreateAsync("place-late-failover");
        harness.Cloud.FailLateFor = spec => spec.InstanceType == "g4dn.xlarge";
        var instance = await CreateAsync(harness, T4Needs());
        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);
        var failedMachine = (await harness.ReloadAsync(instance.Id)).CloudInstanceId;
        failedMachine.Should().NotBeNull("the cloud accepted the first launch");

        await harness.RunPendingAsync(InstanceWorkKind.AwaitReady, instance.Id);

        harness.Cloud.TerminateCalls.Should().Be(1, "the machine the cloud gave up on is deleted before the next launch");
        var moved = await harness.ReloadAsync(instance.Id);
        (moved.Status, moved.Provider, moved.InstanceType, moved.CloudInstanceId).Should().Be(
            (InstanceStatus.Provisioning, CloudProviderName.Azure, "Standard_NC4as_T4_v3", (string?)null));
        (await harness.Get<UnavailableOfferings>().ActiveAsync(CancellationToken.None)).Select(u => u.Offering.InstanceType).Should().Contain("g4dn.xlarge");

        await LaunchUntilSettledAsync(harness, instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(instance.Id);

        var ready = await harness.ReloadAsync(instance.Id);
        ready.Status.Should().Be(InstanceStatus.Ready);
        ready.CloudInstanceId.Should().NotBe(failedMachine);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(1, "only the machine it runs on is left");
        (await AttemptsAsync(harness, instance.Id)).Select(a => (a.Number, a.Outcome)).Should().Equal(
            (1, LaunchAttemptOutcome.Launched), (1, LaunchAttemptOutcome.Refused), (2, LaunchAttemptOutcome.Launched));
        (await AttemptsAsync(harness, instance.Id))[1].Detail.Should().Contain("AllocationFailed").And.Contain("after the launch was accepted");
    }
}
