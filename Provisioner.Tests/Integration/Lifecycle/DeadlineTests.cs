using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>Deadlines, idle limits and stuck-state limits, with time driven by a manual clock.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task AutoTerminate_AtTheDeadline_StopsTheInstanceAndConfirmsItGone()
    {
        await using var harness = await LifecycleHarness.CreateAsync("deadline-exact");
        var instance = await harness.CreateAsync(autoTerminateMinutes: 5);
        (await harness.ScheduledAtAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should()
            .BeCloseTo(instance.CreatedAt.AddMinutes(5), TimeSpan.FromMilliseconds(1), "the trigger is the deadline itself, not the next sweep");
        await harness.BringUpAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));

        await harness.TerminateAsync(instance.Id, InstanceWorkKind.AutoTerminate);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);

        var terminated = await harness.ReloadAsync(instance.Id);
        terminated.Status.Should().Be(InstanceStatus.Terminated);
        (await harness.EventsAsync(instance.Id)).Single(e => e.ToStatus == InstanceStatus.Stopping).Cause.Should().Be("auto-terminate deadline reached");
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Sweep_InstancePastItsDeadline_StopsIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("deadline-sweep");
        var instance = await harness.CreateAsync(autoTerminateMinutes: 5);
        await harness.BringUpAsync(instance.Id);
        harness.Clock.Advance(instance.AutoTerminateAt + TimeSpan.FromSeconds(3) - harness.Clock.GetUtcNow());
        (await harness.SweepAsync()).DeadlinesEnforced.Should().Be(0, "the exact trigger is given a few seconds first");

        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        var report = await harness.SweepAsync();

        report.DeadlinesEnforced.Should().Be(1);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();
    }

    [Fact]
    public async Task Idle_WithoutHeartbeats_StopsTheInstanceAtTheLimit()
    {
        await using var harness = await LifecycleHarness.CreateAsync("idle-none");
        var instance = await harness.CreateAsync(idleMinutes: 5);
        var ready = await harness.BringUpAsync(instance.Id);
        (await harness.ScheduledAtAsync(InstanceWorkKind.IdleCheck, instance.Id)).Should().BeCloseTo(ready.ReadyAt!.Value.AddMinutes(5), TimeSpan.FromMilliseconds(1));

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await harness.Get<CheckInstanceIdle>().RunAsync(instance.Id, CancellationToken.None);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
        (await harness.EventsAsync(instance.Id))[^1].Cause.Should().Be("idle: no heartbeat for 5 minutes");
    }

    [Fact]
    public async Task Idle_HeartbeatsKeepItRunning_UntilTheyStop()
    {
        await using var harness = await LifecycleHarness.CreateAsync("idle-heartbeats");
        var instance = await harness.CreateAsync(idleMinutes: 5);
        await harness.BringUpAsync(instance.Id);
        var check = harness.Get<CheckInstanceIdle>();

        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        var running = await harness.Commands.RecordHeartbeatAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        running.Status.Should().Be(InstanceStatus.Running, "the first heartbeat moves READY to RUNNING");
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await check.RunAsync(instance.Id, CancellationToken.None);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Running);
        (await harness.ScheduledAtAsync(InstanceWorkKind.IdleCheck, instance.Id)).Should()
            .BeCloseTo(running.LastHeartbeatAt!.Value.AddMinutes(5), TimeSpan.FromMilliseconds(1), "the check moved to the new limit");

        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        await check.RunAsync(instance.Id, CancellationToken.None);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
    }

    [Fact]
    public async Task Heartbeat_BeforeReady_IsRefused()
    {
        await using var harness = await LifecycleHarness.CreateAsync("heartbeat-early");
        var instance = await harness.CreateAsync();

        var act = () => harness.Commands.RecordHeartbeatAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidTransitionException>()).Which.From.Should().Be(InstanceStatus.Provisioning);
        (await harness.ReloadAsync(instance.Id)).LastHeartbeatAt.Should().BeNull();
    }

    [Theory]
    [InlineData(InstanceStatus.Provisioning)]
    [InlineData(InstanceStatus.Configuring)]
    public async Task Stuck_PastTheStateLimit_FailsWithTheReasonAndReleasesTheMachine(InstanceStatus stuckIn)
    {
        await using var harness = await LifecycleHarness.CreateAsync("stuck");
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        if (stuckIn == InstanceStatus.Configuring)
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(6));
            await harness.AwaitReadyAsync(instance.Id);
        }

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(stuckIn);
        var limit = harness.Options.TimeoutFor(stuckIn)!.Value;
        harness.Clock.Advance(limit + TimeSpan.FromSeconds(1));

        (await harness.SweepAsync()).StuckFailed.Should().Be(1);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().Be($"Stuck: {stuckIn.ToString().ToUpperInvariant()} for longer than {limit.TotalMinutes:0.#} minutes");
        await harness.TerminateAsync(instance.Id);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0, "whatever the cloud held for it is terminated");
    }

    [Fact]
    public async Task Stuck_AfterRetriedCloudErrors_NamesTheLastOneItSaw()
    {
        await using var harness = await LifecycleHarness.CreateAsync("stuck-cloud-error");
        var instance = await harness.CreateAsync();
        // The launch meets a transient error and is retried later; the look at the machine is then throttled with a
        // wait (as an open circuit asks): both are retried quietly, and the second is the last the instance saw.
        harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.Transient, harness.Cloud.Name, "InternalError", "An internal error has occurred (stuck test)."));
        (await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(WorkRunResult.Retrying);
        (await harness.ReloadAsync(instance.Id)).LastCloudError.Should().Be($"Transient: {harness.Cloud.Name} returned InternalError: An internal error has occurred (stuck test).");
        await harness.LaunchAsync(instance.Id);
        harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.Throttled, harness.Cloud.Name, "CircuitOpen", "calls paused for 30 s (stuck test)", TimeSpan.FromSeconds(30)));
        await harness.AwaitReadyAsync(instance.Id);
        var limit = harness.Options.TimeoutFor(InstanceStatus.Provisioning)!.Value;
        harness.Clock.Advance(limit + TimeSpan.FromSeconds(1));

        (await harness.SweepAsync()).StuckFailed.Should().Be(1);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().Be(
            $"Stuck: PROVISIONING for longer than {limit.TotalMinutes:0.#} minutes; last cloud error: Throttled: {harness.Cloud.Name} returned CircuitOpen: calls paused for 30 s (stuck test)");
    }

    [Fact]
    public async Task Stuck_Stopping_FailsButKeepsChasingTheMachine()
    {
        await using var harness = await LifecycleHarness.CreateAsync("stuck-stopping", o => o.StoppingTimeout = TimeSpan.FromMinutes(1));
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);
        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));

        (await harness.SweepAsync()).StuckFailed.Should().Be(1);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Failed);
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();
        await harness.TerminateAsync(instance.Id);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0);
    }
}
