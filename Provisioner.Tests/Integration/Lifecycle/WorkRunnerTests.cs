using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>
/// The runner every job engine delivery goes through: stale tickets, early deliveries and the one retry policy,
/// on real outbox rows and a manual clock.
/// </summary>
public sealed class WorkRunnerTests
{
    [Fact]
    public async Task Run_TicketReplacedSinceTheJobWasMade_DoesNothing()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-stale");
        var instance = await harness.CreateAsync();
        var sut = harness.Get<InstanceWorkRunner>();

        var result = await sut.RunAsync(InstanceWorkKind.Create, instance.Id, Guid.NewGuid(), CancellationToken.None);

        result.Should().Be(WorkRunResult.Stale);
        harness.Cloud.LaunchCalls.Should().Be(0);
        (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeTrue("the pending item is untouched");
    }

    [Fact]
    public async Task Run_StepDone_RetiresTheItemAndKeepsItsFollowUp()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-done");
        var instance = await harness.CreateAsync();

        (await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(WorkRunResult.Done);

        (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeFalse();
        (await harness.ScheduledAtAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should()
            .BeCloseTo(harness.Clock.GetUtcNow(), TimeSpan.FromMilliseconds(1), "the first look at a launched machine comes at once");
    }

    [Fact]
    public async Task Run_TransientFailure_SchedulesTheSameStepAgainAfterABackOff_ThenFailsOnTheLastAttempt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-retry", o =>
        {
            o.CloudRetryAttempts = 2;
            o.CloudRetryInitialDelay = TimeSpan.FromSeconds(10);
        });
        var instance = await harness.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.Transient, "SIMULATED", "InternalError", "try later (scripted)"));
        }

        (await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(WorkRunResult.Retrying);
        var firstRetry = await harness.ScheduledAtAsync(InstanceWorkKind.Create, instance.Id);
        firstRetry.Should().BeCloseTo(harness.Clock.GetUtcNow().AddSeconds(10), TimeSpan.FromSeconds(2.01), "10 s ± 20% jitter");
        harness.Clock.Advance(TimeSpan.FromSeconds(12));
        (await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(WorkRunResult.Retrying);
        (await harness.ScheduledAtAsync(InstanceWorkKind.Create, instance.Id)).Should()
            .BeCloseTo(harness.Clock.GetUtcNow().AddSeconds(20), TimeSpan.FromSeconds(4.01), "the back-off doubles");

        harness.Clock.Advance(TimeSpan.FromSeconds(30));
        (await harness.RunPendingAsync(InstanceWorkKind.Create, instance.Id)).Should().Be(WorkRunResult.Done);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed, "three attempts were allowed (two retries) and all failed");
        failed.FailureReason.Should().Contain("InternalError");
        harness.Cloud.LaunchCalls.Should().Be(3);
    }

    [Fact]
    public async Task Run_DeadlineDeliveredAFractionEarly_WaitsAndNeverStopsTheMachineBeforeTheDeadline()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-early");
        var created = await harness.CreateAsync(autoTerminateMinutes: 5);
        await harness.BringUpAsync(created.Id);
        var instance = await harness.ReloadAsync(created.Id);
        // The engine keeps whole seconds and may start a delayed job up to a second early.
        harness.Clock.Advance(instance.AutoTerminateAt - harness.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(600));

        (await harness.RunPendingAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().Be(WorkRunResult.Done);

        // This clock does not move while the runner waits, so the step still finds itself early: it re-schedules.
        var reloaded = await harness.ReloadAsync(instance.Id);
        reloaded.Status.Should().Be(InstanceStatus.Ready, "the machine is never stopped before its deadline");
        (await harness.ScheduledAtAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().BeCloseTo(instance.AutoTerminateAt, TimeSpan.FromMilliseconds(1));

        harness.Clock.Advance(TimeSpan.FromMilliseconds(600));
        (await harness.RunPendingAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().Be(WorkRunResult.Done);
        var stopped = await harness.ReloadAsync(instance.Id);
        stopped.Status.Should().Be(InstanceStatus.Stopping);
        stopped.StopRequestedAt.Should().BeOnOrAfter(instance.AutoTerminateAt);
    }

    [Fact]
    public async Task Run_DeliveredLongBeforeItIsDue_HandsTheItemBackToTheRelay()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-handback");
        var instance = await harness.CreateAsync(autoTerminateMinutes: 5);
        await harness.Database.ExecuteAsync("UPDATE provisioner.pending_work SET job_id = 'lost-42' WHERE instance_id = $1", instance.Id);

        (await harness.RunPendingAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().Be(WorkRunResult.HandedBack);

        (await harness.Database.ScalarAsync<string?>("SELECT job_id FROM provisioner.pending_work WHERE instance_id = $1 AND kind = 'AutoTerminate'", instance.Id))
            .Should().BeNull("the relay schedules it again for its due time");
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Provisioning);
    }

    [Fact]
    public async Task FinishedInstance_KeepsNoDeadlineOrIdleCheckPending()
    {
        await using var harness = await LifecycleHarness.CreateAsync("runner-withdraw");
        var instance = await harness.CreateAsync(idleMinutes: 5);
        await harness.BringUpAsync(instance.Id);
        (await harness.IsScheduledAsync(InstanceWorkKind.IdleCheck, instance.Id)).Should().BeTrue();

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        await harness.TerminateAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Terminated);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work WHERE instance_id = $1 AND kind <> 'Terminate'", instance.Id))
            .Should().Be(0, "the deadline, the idle check and any launch or look left are withdrawn with the termination, not left to fire later: {0}",
                await harness.Database.ScalarAsync<string>("SELECT string_agg(kind || '@' || updated_at::text, ', ') FROM provisioner.pending_work WHERE instance_id = $1", instance.Id));
    }
}
