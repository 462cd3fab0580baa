using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Core.Reconciliation;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Watch;

/// <summary>
/// The machine watch over the simulated cloud, one pass at a time on a manual clock: a ready machine stopped, reclaimed or
/// gone outside us ends its instance FAILED with reason class Interrupted in the cloud's words, billed exactly to the
/// cloud's stop time by the instance's billing rule; a machine that still runs is left alone.
/// </summary>
public sealed class MachineWatchTests
{
    [Fact]
    public async Task StoppedOutside_ReadyInstance_IsInterruptedAndBilledUntilTheCloudsStopTime()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-stop");
        var ready = await BringUpAsync(harness);
        harness.Clock.Advance(TimeSpan.FromMinutes(7));
        var stoppedAt = harness.Clock.GetUtcNow().AddMinutes(-3).AddSeconds(-0.5);
        await harness.Get<SimulatedCloudControl>().StopOutsideAsync(ready.CloudInstanceId!, stoppedAt, CancellationToken.None);

        var run = await WatchAsync(harness);

        run.Interrupted.Should().Be(1);
        var after = await harness.ReloadAsync(ready.Id);
        after.Status.Should().Be(InstanceStatus.Failed);
        after.FailureReason.Should().StartWith($"Interrupted: SIMULATED reports machine {ready.CloudInstanceId} UserInitiatedShutdown: The machine was stopped outside the provisioner");
        after.InterruptedAt.Should().BeCloseTo(stoppedAt, TimeSpan.FromMicroseconds(1), "timestamps are kept to the microsecond");
        after.TotalCost.Should().Be(after.Billing.Charge(after.CostPerHour, after.InterruptedAt!.Value - after.LaunchedAt!.Value), "billed until the cloud's stop time, by the billing rule");
        after.TotalCost.Should().BeLessThan(after.Billing.Charge(after.CostPerHour, harness.Clock.GetUtcNow() - after.LaunchedAt!.Value), "the 3 minutes since the stop are not billed");
        after.CostAt(harness.Clock.GetUtcNow().AddHours(1)).Should().Be(after.TotalCost, "nothing is billed after it");
        (await harness.EventsAsync(ready.Id))[^1].Cause.Should().Be(after.FailureReason);
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, ready.Id)).Should().BeTrue("the stopped machine (and its disk) is deleted");
    }

    [Fact]
    public async Task Preempted_WithNotice_IsInterruptedOnlyOnceTheReclaimHappens()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-preempt");
        var ready = await BringUpAsync(harness);
        var reclaimAt = harness.Clock.GetUtcNow().AddSeconds(30);
        await harness.Get<SimulatedCloudControl>().PreemptAsync(ready.CloudInstanceId!, reclaimAt, CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(0, "a reclaim announced ahead has not happened yet");
        (await harness.ReloadAsync(ready.Id)).Status.Should().Be(InstanceStatus.Ready);

        harness.Clock.Advance(TimeSpan.FromSeconds(31));
        (await WatchAsync(harness)).Interrupted.Should().Be(1);

        var after = await harness.ReloadAsync(ready.Id);
        after.Status.Should().Be(InstanceStatus.Failed);
        after.FailureReason.Should().StartWith($"Interrupted: SIMULATED reports machine {ready.CloudInstanceId} Server.SpotInstanceTermination: The spot machine was reclaimed");
        after.InterruptedAt.Should().BeCloseTo(reclaimAt, TimeSpan.FromMicroseconds(1));
    }

    [Fact]
    public async Task GoneOutside_IsInterruptedAndReleased()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-hide");
        var ready = await BringUpAsync(harness);
        await harness.Get<SimulatedCloudControl>().HideAsync(ready.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(1);

        var after = await harness.ReloadAsync(ready.Id);
        after.Status.Should().Be(InstanceStatus.Failed);
        after.FailureReason.Should().Be($"Interrupted: the cloud no longer has machine {ready.CloudInstanceId} (terminated outside the provisioner)");
        after.ReleasedAt.Should().NotBeNull("the cloud holds nothing left to delete");
    }

    [Fact]
    public async Task RunningMachine_IsLeftAlone_AndAStopOfOursIsNotAnInterruption()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-quiet");
        var running = await BringUpAsync(harness);
        var stopping = await BringUpAsync(harness);
        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, stopping.Id, CancellationToken.None);
        await harness.TerminateAsync(stopping.Id);

        var run = await WatchAsync(harness);

        (run.Watched, run.Interrupted).Should().Be((1, 0));
        (await harness.ReloadAsync(running.Id)).Status.Should().Be(InstanceStatus.Ready);
        (await harness.ReloadAsync(stopping.Id)).Status.Should().BeOneOf(InstanceStatus.Stopping, InstanceStatus.Terminated);
    }

    private static async Task<Instance> BringUpAsync(LifecycleHarness harness)
    {
        var instance = await harness.CreateAsync();
        return await harness.BringUpAsync(instance.Id);
    }

    private static Task<MachineWatchRun> WatchAsync(LifecycleHarness harness) =>
        harness.Get<MachineWatch>().WatchAsync(harness.Cloud, CancellationToken.None);
}
