using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Relaunch;

/// <summary>
/// <c>onInterruption: "relaunch"</c> over the simulated cloud, one step at a time on a manual clock: an interrupted instance
/// goes back to PROVISIONING keeping its id, is placed again by the failover rules, launched on exactly one new machine and
/// READY again; its lost machine is terminated and kept on its timeline with its own bill; the bill is the sum of both
/// machines' billed time by their price; the bound is kept; the default still fails and releases.
/// </summary>
public sealed class RelaunchTests
{
    [Fact]
    public async Task Preempted_RelaunchAsked_OneNewMachine_ReadyAgainWithTheSameId_OldMachineTerminated_BilledForBoth()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-preempt");
        var first = await BringUpAsync(harness, await CreateAsync(harness));
        harness.Clock.Advance(TimeSpan.FromMinutes(7));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        var reclaim = harness.Clock.GetUtcNow().AddSeconds(-20.25);
        // Whole microseconds, as the cloud's database keeps them.
        var reclaimedAt = new DateTimeOffset(reclaim.UtcTicks - (reclaim.UtcTicks % 10), TimeSpan.Zero);
        await harness.Get<SimulatedCloudControl>().PreemptAsync(first.CloudInstanceId!, reclaimedAt, CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(1);

        var relaunching = await harness.ReloadAsync(first.Id);
        relaunching.Status.Should().Be(InstanceStatus.Provisioning);
        (relaunching.InterruptionCount, relaunching.RelaunchPending, relaunching.CloudInstanceId).Should().Be((1, true, (string?)null));
        var lost = relaunching.Machines.Should().ContainSingle().Subject;
        (lost.Number, lost.CloudInstanceId, lost.EndedAt, lost.ReleasedAt).Should().Be((1, first.CloudInstanceId!, reclaimedAt, (DateTimeOffset?)null));
        lost.Cost.Should().Be(first.Billing.Charge(first.CostPerHour, reclaimedAt - first.LaunchedAt!.Value), "the lost machine is billed until the cloud's stop time");
        lost.BilledSeconds.Should().Be(first.Billing.BilledSeconds(reclaimedAt - first.LaunchedAt!.Value));
        var interrupted = (await harness.EventsAsync(first.Id))[^1];
        (interrupted.FromStatus, interrupted.ToStatus).Should().Be((InstanceStatus.Ready, InstanceStatus.Provisioning));
        interrupted.Cause.Should().StartWith("Interrupted: SIMULATED reports machine").And.EndWith("relaunching on a new machine (interruption 1 of 3)");
        WebhookEventTypes.For(interrupted).Should().Be(WebhookEventTypes.Interrupted, "the client is told, and the instance's status says it relaunches");
        (await harness.IsScheduledAsync(InstanceWorkKind.Relaunch, first.Id)).Should().BeTrue();
        (await harness.IsScheduledAsync(InstanceWorkKind.ReleaseMachines, first.Id)).Should().BeTrue("the reclaimed machine is deleted");
        (await harness.IsScheduledAsync(InstanceWorkKind.Create, first.Id)).Should().BeFalse("nothing launches before the relaunch is placed");
        (await harness.LaunchAsync(first.Id)).Should().Be(StepOutcome.Done);
        (await harness.MachinesForAsync(first.Id)).Should().Be(1, "a launch before the placement does nothing");

        // The rollup between machines: the lost machine's tail is folded, nothing is settled.
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        await harness.RunPendingAsync(InstanceWorkKind.Relaunch, first.Id);
        await harness.Get<RelaunchInstance>().RunAsync(first.Id, InstanceWorkKind.Relaunch, harness.Attempt(false), CancellationToken.None);
        (await harness.ReloadAsync(first.Id)).LaunchAttemptNumber.Should().Be(2, "the second run of the relaunch finds nothing to place");
        await harness.RunPendingAsync(InstanceWorkKind.Create, first.Id);
        await harness.LaunchAsync(first.Id);
        (await harness.MachinesForAsync(first.Id)).Should().Be(2, "exactly one new machine, however often the launch runs");

        await harness.RunPendingAsync(InstanceWorkKind.ReleaseMachines, first.Id);
        (await harness.LiveMachinesForAsync(first.Id)).Should().Be(1, "the reclaimed machine was told to terminate");
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(first.Id);
        if (await harness.IsScheduledAsync(InstanceWorkKind.ReleaseMachines, first.Id))
        {
            await harness.RunPendingAsync(InstanceWorkKind.ReleaseMachines, first.Id);
        }

        var second = await harness.ReloadAsync(first.Id);
        second.Status.Should().Be(InstanceStatus.Ready, "the same instance is READY again");
        second.CloudInstanceId.Should().NotBeNull().And.NotBe(first.CloudInstanceId);
        second.Machines.Should().ContainSingle().Which.ReleasedAt.Should().NotBeNull("the cloud confirmed the lost machine gone");
        (await harness.IsScheduledAsync(InstanceWorkKind.ReleaseMachines, first.Id)).Should().BeFalse();
        (await harness.EventsAsync(first.Id)).Count(e => e.ToStatus == InstanceStatus.Ready).Should().Be(2, "instance.ready is raised again");

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var now = harness.Clock.GetUtcNow();
        var expected = lost.Cost + second.Billing.Charge(second.CostPerHour, now - second.LaunchedAt!.Value);
        second.CostAt(now).Should().Be(expected, "the bill is each machine's billed time by its price");
        (await harness.Database.ScalarAsync<decimal>($"SELECT {BillingSql.CostAt("$2")} FROM provisioner.instances WHERE id = $1", first.Id, now))
            .Should().Be(expected, "the SQL figure (statistics, budgets) agrees to the cent");

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, first.Id, CancellationToken.None);
        await harness.TerminateAsync(first.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(first.Id);
        var ended = await harness.ReloadAsync(first.Id);
        ended.Status.Should().Be(InstanceStatus.Terminated);
        (await harness.LiveMachinesForAsync(first.Id)).Should().Be(0, "no machine is leaked");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        (await harness.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM provisioner.cost_rollups WHERE granularity = 'HOUR'"))
            .Should().Be(ended.TotalCost, "the rollup's buckets add up to both machines' bill");
        ended.TotalCost.Should().Be(lost.Cost + ended.Billing.Charge(ended.CostPerHour, ended.BillingEndedAt!.Value - ended.LaunchedAt!.Value));
    }

    [Fact]
    public async Task Relaunching_ReconciliationFindsTheLostMachine_EndsItAsAnOrphan_NeverAdoptsIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-reconcile");
        var first = await BringUpAsync(harness, await CreateAsync(harness));
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await harness.Get<SimulatedCloudControl>().StopOutsideAsync(first.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);
        await WatchAsync(harness);

        var run = await harness.ReconcileAsync();

        run.MachinesAdopted.Should().Be(0, "a machine the instance lost is not its machine again");
        run.OrphansTerminated.Should().Be(1, "it is ended like any machine without a live record of its own");
        var relaunching = await harness.ReloadAsync(first.Id);
        (relaunching.Status, relaunching.CloudInstanceId).Should().Be((InstanceStatus.Provisioning, (string?)null));
        await harness.RunPendingAsync(InstanceWorkKind.ReleaseMachines, first.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.RunPendingAsync(InstanceWorkKind.ReleaseMachines, first.Id);
        (await harness.ReloadAsync(first.Id)).HasUnreleasedMachines.Should().BeFalse("the release sees it gone and records it");
        (await harness.LiveMachinesForAsync(first.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Hidden_RelaunchAsked_TheLostMachineIsReleasedAtOnce()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-hidden");
        var first = await BringUpAsync(harness, await CreateAsync(harness));
        await harness.Get<SimulatedCloudControl>().HideAsync(first.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);

        await WatchAsync(harness);

        var relaunching = await harness.ReloadAsync(first.Id);
        relaunching.Status.Should().Be(InstanceStatus.Provisioning);
        relaunching.Machines.Single().ReleasedAt.Should().NotBeNull("the cloud holds nothing left to delete");
        (await harness.IsScheduledAsync(InstanceWorkKind.ReleaseMachines, first.Id)).Should().BeFalse();
    }

    [Fact]
    public async Task Interrupted_DefaultFail_FailsAndReleasesAsBefore()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-default");
        var ready = await BringUpAsync(harness, await harness.CreateAsync());
        await harness.Get<SimulatedCloudControl>().PreemptAsync(ready.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(1);

        var failed = await harness.ReloadAsync(ready.Id);
        failed.OnInterruption.Should().Be(InterruptionPolicy.Fail);
        (failed.Status, failed.InterruptionCount, failed.Machines.Count).Should().Be((InstanceStatus.Failed, 1, 0));
        failed.FailureReason.Should().StartWith("Interrupted: ");
        (await harness.IsScheduledAsync(InstanceWorkKind.Relaunch, ready.Id)).Should().BeFalse();
        await harness.RunPendingAsync(InstanceWorkKind.Terminate, ready.Id);
        (await harness.LiveMachinesForAsync(ready.Id)).Should().Be(0, "the reclaimed machine is released");
        (await harness.MachinesForAsync(ready.Id)).Should().Be(1, "nothing is launched again");
    }

    [Fact]
    public async Task Interrupted_PastTheBound_FailsInterrupted_BilledForEveryMachine()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-bound");
        var instance = await CreateAsync(harness, maxInterruptions: 1);
        var first = await BringUpAsync(harness, instance);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await harness.Get<SimulatedCloudControl>().StopOutsideAsync(first.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);
        await WatchAsync(harness);
        await harness.RunPendingAsync(InstanceWorkKind.Relaunch, instance.Id);
        var second = await BringUpAsync(harness, instance);
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        var stoppedAt = harness.Clock.GetUtcNow();
        await harness.Get<SimulatedCloudControl>().StopOutsideAsync(second.CloudInstanceId!, stoppedAt, CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(1);

        var failed = await harness.ReloadAsync(instance.Id);
        (failed.Status, failed.InterruptionCount).Should().Be((InstanceStatus.Failed, 2));
        failed.FailureReason.Should().StartWith("Interrupted: ");
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue("the stopped machine is deleted");
        failed.TotalCost.Should().Be(failed.Machines.Single().Cost + second.Billing.Charge(second.CostPerHour, stoppedAt - second.LaunchedAt!.Value));
        await harness.RunPendingAsync(InstanceWorkKind.Terminate, instance.Id);
        await harness.RunPendingAsync(InstanceWorkKind.ReleaseMachines, instance.Id);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0, "neither machine is left running");
    }

    [Fact]
    public async Task SpotPlan_SpotReclaimed_RelaunchesOnOnDemand()
    {
        await using var harness = await LifecycleHarness.CreateAsync("relaunch-spot");
        var needs = new PlacementRequest("T4", 1, 16, 2.0m, new HashSet<CloudProviderName> { CloudProviderName.Aws },
            new HashSet<string>(StringComparer.Ordinal) { "us-east-1" }, SpotPreference.Preferred);
        var spec = new InstanceSpec("user-1", "task-1", "relaunch", default, "", "", 50, 60, new Dictionary<string, string>(), Needs: needs,
            OnInterruption: InterruptionPolicy.Relaunch, MaxInterruptions: 3);
        var instance = (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, spec, null, CancellationToken.None)).Instance;
        instance.CurrentOffer.Spot.Should().BeTrue("spot is preferred: the plan starts on spot");
        var spot = await BringUpAsync(harness, instance);
        await harness.Get<SimulatedCloudControl>().PreemptAsync(spot.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);
        await WatchAsync(harness);

        await harness.RunPendingAsync(InstanceWorkKind.Relaunch, instance.Id);

        var placed = await harness.ReloadAsync(instance.Id);
        placed.CurrentOffer.Spot.Should().BeFalse($"the reclaimed spot offering is unavailable now; plan: {string.Join(", ", placed.PlacementPlan!.Offers)}");
        placed.SpotMaxPrice.Should().BeNull();
        (await harness.Get<UnavailableOfferings>().ActiveAsync(CancellationToken.None)).Select(u => u.Offering)
            .Should().Contain(spot.CurrentOffer.Offering, "a reclaim marks its offering as a capacity refusal does");
        var onDemand = await BringUpAsync(harness, instance);
        onDemand.Status.Should().Be(InstanceStatus.Ready);
        onDemand.Machines.Single().Spot.Should().BeTrue();
    }

    private static async Task<Instance> CreateAsync(LifecycleHarness harness, int maxInterruptions = 3)
    {
        var spec = new InstanceSpec("user-1", "task-1", "relaunch", CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, 60,
            new Dictionary<string, string>(), OnInterruption: InterruptionPolicy.Relaunch, MaxInterruptions: maxInterruptions);
        return (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, spec, null, CancellationToken.None)).Instance;
    }

    private static async Task<Instance> BringUpAsync(LifecycleHarness harness, Instance instance)
    {
        await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.AwaitReadyAsync(instance.Id);
        var ready = await harness.ReloadAsync(instance.Id);
        ready.Status.Should().Be(InstanceStatus.Ready);
        return ready;
    }

    private static Task<MachineWatchRun> WatchAsync(LifecycleHarness harness) =>
        harness.Get<MachineWatch>().WatchAsync(harness.Cloud, CancellationToken.None);
}
