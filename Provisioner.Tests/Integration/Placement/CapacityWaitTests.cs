using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Placement;

/// <summary>
/// A request that may wait for capacity (config.capacityWaitMinutes) whose every offer is refused stays Provisioning,
/// says it waits and why, and is launched again when its offerings' backoff ends: Ready once capacity returns, Failed
/// listing every attempt when the wait runs out, ended without a launch by a DELETE. Steps run by hand on the
/// harness's manual clock (backoff 1 min, doubling).
/// </summary>
public sealed class CapacityWaitTests
{
    private static async Task<LifecycleHarness> HarnessAsync(string purpose)
    {
        var harness = await LifecycleHarness.CreateAsync(purpose);
        // PostgreSQL keeps microseconds: a clock on a whole second compares exactly with what it stored.
        harness.Clock.Set(DateTimeOffset.FromUnixTimeSeconds(harness.Clock.GetUtcNow().ToUnixTimeSeconds()));
        return harness;
    }

    private static async Task<Instance> CreateWaitingRequestAsync(LifecycleHarness harness, int waitMinutes)
    {
        var spec = new InstanceSpec("user-1", null, null, CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, 120,
            new Dictionary<string, string>(), CapacityWaitMinutes: waitMinutes);
        return (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, spec, null, CancellationToken.None)).Instance;
    }

    /// <summary>Moves the clock to the launch's next try and runs it, as the job engine would at its due time.</summary>
    private static async Task RunNextTryAsync(LifecycleHarness harness, Guid id)
    {
        var due = await harness.ScheduledAtAsync(InstanceWorkKind.Create, id);
        due.Should().NotBeNull("a waiting instance has its next try scheduled");
        if (due > harness.Clock.GetUtcNow())
        {
            harness.Clock.Set(due.Value);
        }

        await harness.RunPendingAsync(InstanceWorkKind.Create, id);
    }

    [Fact]
    public async Task Launch_EveryOfferRefused_WaitsVisibly_AndIsReadyWhenCapacityReturns()
    {
        await using var harness = await HarnessAsync("wait-ready");
        harness.Cloud.NoCapacityFor = _ => true;
        var instance = await CreateWaitingRequestAsync(harness, 30);
        var refusedAt = harness.Clock.GetUtcNow();

        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);

        var waiting = await harness.ReloadAsync(instance.Id);
        (waiting.Status, waiting.WaitingFor, waiting.NextTryAt).Should().Be(
            (InstanceStatus.Provisioning, "capacity", refusedAt + TimeSpan.FromMinutes(1)), "tried again when the offering's 1 min backoff ends");
        var shown = InstanceResponse.From(waiting, harness.Clock.GetUtcNow());
        shown.OffersTried.Should().Equal("SIMULATED sim.gpu.small in sim-local-1 (on-demand)");
        shown.CapacityWaitUntil.Should().Be(instance.CreatedAt + TimeSpan.FromMinutes(30));
        var wait = (await harness.EventsAsync(instance.Id)).Single(e => e.FromStatus == InstanceStatus.Provisioning && e.ToStatus == InstanceStatus.Provisioning);
        wait.Cause.Should().StartWith("waiting for capacity");
        WebhookEventTypes.For(wait).Should().Be(WebhookEventTypes.Waiting);
        (await harness.ScheduledAtAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(waiting.NextTryAt);

        harness.Cloud.NoCapacityFor = null;
        await RunNextTryAsync(harness, instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(instance.Id);

        var ready = await harness.ReloadAsync(instance.Id);
        (ready.Status, ready.WaitingFor, ready.NextTryAt).Should().Be((InstanceStatus.Ready, (string?)null, (DateTimeOffset?)null));
        harness.Cloud.LaunchCalls.Should().Be(2);
        (await harness.Get<LaunchAttemptLog>().ForAsync(instance.Id, CancellationToken.None)).Select(a => (a.Number, a.Outcome)).Should().Equal(
            (1, LaunchAttemptOutcome.Refused), (2, LaunchAttemptOutcome.Launched));
    }

    [Fact]
    public async Task Launch_CapacityNeverReturns_FailsAtTheWaitsEnd_ListingEveryAttempt()
    {
        await using var harness = await HarnessAsync("wait-expires");
        harness.Cloud.NoCapacityFor = _ => true;
        var instance = await CreateWaitingRequestAsync(harness, 5);

        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);
        for (var round = 0; round < 10 && (await harness.ReloadAsync(instance.Id)).Status == InstanceStatus.Provisioning; round++)
        {
            await RunNextTryAsync(harness, instance.Id);
        }

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.StatusChangedAt.Should().Be(instance.CreatedAt + TimeSpan.FromMinutes(5), "it fails when the wait runs out, not before or long after");
        var attempts = await harness.Get<LaunchAttemptLog>().ForAsync(instance.Id, CancellationToken.None);
        // Tried at 0, 1 and 3 min (the backoff doubling to 2 then 4 min, cut at the 5 min wait).
        attempts.Select(a => (a.At - instance.CreatedAt).TotalMinutes).Should().Equal(0, 1, 3);
        attempts.Should().OnlyContain(a => a.Outcome == LaunchAttemptOutcome.Refused);
        failed.FailureReason.Should().StartWith("every allowed offer was tried (3)");
        harness.Cloud.LaunchCalls.Should().Be(3);
    }

    [Fact]
    public async Task Delete_WhileWaiting_EndsItWithoutALaunch()
    {
        await using var harness = await HarnessAsync("wait-delete");
        harness.Cloud.NoCapacityFor = _ => true;
        var instance = await CreateWaitingRequestAsync(harness, 30);
        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        harness.Cloud.NoCapacityFor = null;
        if (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id))
        {
            await RunNextTryAsync(harness, instance.Id);
        }

        // The terminate step looks for a machine until its grace period after the (refused) launch request has passed.
        for (var look = 0; look < 10 && await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id); look++)
        {
            var due = (await harness.ScheduledAtAsync(InstanceWorkKind.Terminate, instance.Id))!.Value;
            harness.Clock.Set(due > harness.Clock.GetUtcNow() ? due : harness.Clock.GetUtcNow());
            await harness.RunPendingAsync(InstanceWorkKind.Terminate, instance.Id);
        }

        var ended = await harness.ReloadAsync(instance.Id);
        (ended.Status, ended.WaitingFor).Should().Be((InstanceStatus.Terminated, (string?)null));
        harness.Cloud.LaunchCalls.Should().Be(1, "only the refused launch was made");
        (await harness.MachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Resume_OfferingStillInBackoffAfterAnotherLaunch_IsNotAsked()
    {
        await using var harness = await HarnessAsync("wait-backoff");
        harness.Cloud.NoCapacityFor = _ => true;
        var instance = await CreateWaitingRequestAsync(harness, 30);
        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);
        var offering = new Offering(CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", false);
        // Another worker's launch met no capacity there just as this one's backoff ended: a doubled backoff now runs.
        harness.Clock.Set((await harness.ScheduledAtAsync(InstanceWorkKind.Create, instance.Id))!.Value);
        await harness.Get<UnavailableOfferings>().MarkAsync(offering, "refused elsewhere", CancellationToken.None);

        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);

        harness.Cloud.LaunchCalls.Should().Be(1, "the offering is in backoff: no worker asks the cloud for it");
        var waiting = await harness.ReloadAsync(instance.Id);
        (waiting.WaitingFor, waiting.NextTryAt).Should().Be(("capacity", harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(2)));
        (await harness.Get<LaunchAttemptLog>().ForAsync(instance.Id, CancellationToken.None)).Select(a => a.Outcome).Should().Equal(
            LaunchAttemptOutcome.Refused, LaunchAttemptOutcome.Skipped);
    }
}
