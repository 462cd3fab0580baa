using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>Two writers at once: one wins, the other sees the winner's state and acts on it.</summary>
public sealed class RaceTests
{
    [Fact]
    public async Task DeleteWhileTheLaunchIsInFlight_StopsTheMachineAndNeverMarksItReady()
    {
        await using var harness = await LifecycleHarness.CreateAsync("race-delete-launch");
        var instance = await harness.CreateAsync();
        harness.Cloud.WhileLaunching = _ => harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);

        await harness.LaunchAsync(instance.Id);

        var stopping = await harness.ReloadAsync(instance.Id);
        stopping.Status.Should().Be(InstanceStatus.Stopping);
        stopping.CloudInstanceId.Should().NotBeNull("the machine exists, so it is recorded to be stopped");
        (await harness.IsScheduledAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should().BeFalse();
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();

        await harness.TerminateAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Terminated);
        (await harness.EventsAsync(instance.Id)).Select(e => e.ToStatus).Should().NotContain(InstanceStatus.Ready);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task DeleteWhileConfiguring_StopsIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("race-delete-configuring");
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        await harness.AwaitReadyAsync(instance.Id);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Configuring);

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        await harness.AwaitReadyAsync(instance.Id);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping, "the look at a now-running machine must not undo the stop");
        await harness.TerminateAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Terminated);
    }

    [Fact]
    public async Task StaleWriter_LosesOnTheRowVersion()
    {
        await using var harness = await LifecycleHarness.CreateAsync("race-stale-writer");
        var instance = await harness.CreateAsync();
        await using var first = harness.Database.CreateDbContext();
        await using var second = harness.Database.CreateDbContext();
        var a = await first.Instances.SingleAsync(i => i.Id == instance.Id);
        var b = await second.Instances.SingleAsync(i => i.Id == instance.Id);

        a.RequestStop("first writer", harness.Clock.GetUtcNow());
        await first.SaveChangesAsync();
        b.MarkFailed("second writer, stale", harness.Clock.GetUtcNow());
        var act = () => second.SaveChangesAsync();

        await act.Should().ThrowAsync<DbUpdateConcurrencyException>();
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
    }

    [Fact]
    public async Task ManyConcurrentDeletes_StopOnceAndScheduleOneTermination()
    {
        await using var harness = await LifecycleHarness.CreateAsync("race-many-deletes");
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None))));

        results.Count(r => r.Started).Should().Be(1);
        results.Should().OnlyContain(r => r.Instance.Status == InstanceStatus.Stopping);
        (await harness.EventsAsync(instance.Id)).Count(e => e.ToStatus == InstanceStatus.Stopping).Should().Be(1);
    }

    [Fact]
    public async Task TerminateRunTwice_CallsTheCloudButEndsOnce()
    {
        await using var harness = await LifecycleHarness.CreateAsync("race-terminate-twice");
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);
        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        await harness.TerminateAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));

        await Task.WhenAll(Task.Run(() => harness.TerminateAsync(instance.Id)), Task.Run(() => harness.TerminateAsync(instance.Id)));

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Terminated);
        (await harness.EventsAsync(instance.Id)).Count(e => e.ToStatus == InstanceStatus.Terminated).Should().Be(1);
    }
}
