using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>What the cloud really runs against our records, both ways.</summary>
public sealed class ReconciliationTests
{
    [Fact]
    public async Task MachineWithNoRecord_IsLeftDuringTheGraceThenTerminated()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-orphan");
        var orphanId = Guid.NewGuid();
        var orphan = await harness.Cloud.LaunchAsync(new LaunchSpec(orphanId, LaunchTokens.For(orphanId), "tenant", "sim.gpu.small",
            "sim-local-1", 50, new Dictionary<string, string>(), harness.Clock.GetUtcNow().AddHours(1)), CancellationToken.None);

        var early = await harness.ReconcileAsync();
        early.OrphansInGrace.Should().Be(1);
        early.OrphansTerminated.Should().Be(0);

        harness.Clock.Advance(harness.Options.OrphanGracePeriod + TimeSpan.FromSeconds(1));
        var late = await harness.ReconcileAsync();

        late.MachinesSeen.Should().Be(1);
        late.OrphansTerminated.Should().Be(1);
        (await harness.Cloud.DescribeAsync("sim-local-1", orphan.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.ShuttingDown);
        (await harness.Database.ScalarAsync<long>("SELECT sum(orphans_terminated) FROM provisioner.reconciliation_runs")).Should().Be(1);
    }

    [Fact]
    public async Task MachineOfAFinishedRecord_IsTerminated()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-finished");
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        await harness.Get<Core.Lifecycle.InstanceUpdater>().UpdateAsync(instance.Id, (i, now, _) =>
        {
            i.MarkFailed("Unauthorized: recorded as failed while its machine still ran", now);
            return true;
        }, CancellationToken.None);
        harness.Clock.Advance(harness.Options.OrphanGracePeriod + TimeSpan.FromSeconds(1));

        (await harness.ReconcileAsync()).OrphansTerminated.Should().Be(1);

        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task LiveRecordWhoseMachineVanished_IsClosedWithTheReason()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-vanished");
        var instance = await harness.CreateAsync();
        var ready = await harness.BringUpAsync(instance.Id);
        await harness.Cloud.TerminateAsync("sim-local-1", ready.CloudInstanceId!, CancellationToken.None);
        harness.Clock.Advance(harness.Options.NotFoundGracePeriod);

        var run = await harness.ReconcileAsync();

        run.RecordsClosed.Should().Be(1);
        var closed = await harness.ReloadAsync(instance.Id);
        closed.Status.Should().Be(InstanceStatus.Failed);
        closed.FailureReason.Should().Be($"Vanished: the cloud no longer has machine {ready.CloudInstanceId}");
    }

    [Fact]
    public async Task LiveRecordThatLostItsLaunchAnswer_GetsItsMachineBack()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-adopt");
        var instance = await harness.CreateAsync();
        harness.Cloud.LoseLaunchAnswers = 1;
        (await harness.LaunchAsync(instance.Id)).IsRetry.Should().BeTrue("the answer was lost");

        var run = await harness.ReconcileAsync();

        run.MachinesAdopted.Should().Be(1);
        run.OrphansTerminated.Should().Be(0);
        (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().NotBeNull();
        (await harness.IsScheduledAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should().BeTrue();
    }

    [Fact]
    public async Task HealthyInstances_AreLeftAlone()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-healthy");
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromMinutes(10));

        var run = await harness.ReconcileAsync();

        run.Should().BeEquivalentTo(new { MachinesSeen = 1, OrphansTerminated = 0, OrphansInGrace = 0, RecordsClosed = 0, MachinesAdopted = 0 });
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Ready);
    }
}
