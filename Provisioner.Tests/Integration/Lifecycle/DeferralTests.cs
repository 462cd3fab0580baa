using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>
/// A cloud that says "not now" (an open circuit, a long throttle) defers the step to the time it names: the
/// request is kept and waits, nothing fails, no thread waits. A cloud that says "no" fails it with its reason.
/// </summary>
public sealed class DeferralTests
{
    private static CloudProviderException CircuitOpen(TimeSpan wait) =>
        new(CloudErrorKind.Throttled, "SIMULATED", "CircuitOpen", "calls to SIMULATED/sim-local-1 are paused after repeated failures", wait);

    [Fact]
    public async Task Launch_WhileTheCircuitIsOpen_WaitsForItInsteadOfFailing()
    {
        await using var harness = await LifecycleHarness.CreateAsync("defer-launch");
        var instance = await harness.CreateAsync();
        harness.Cloud.FailNext.Enqueue(CircuitOpen(TimeSpan.FromSeconds(30)));

        await harness.LaunchAsync(instance.Id, finalAttempt: true);

        var waiting = await harness.ReloadAsync(instance.Id);
        waiting.Status.Should().Be(InstanceStatus.Provisioning);
        waiting.FailureReason.Should().BeNull();
        (await harness.ScheduledAtAsync(InstanceWorkKind.Create, instance.Id)).Should()
            .BeCloseTo(harness.Clock.GetUtcNow().AddSeconds(30), TimeSpan.FromMilliseconds(1));
        (await harness.MachinesForAsync(instance.Id)).Should().Be(0);

        harness.Clock.Advance(TimeSpan.FromSeconds(30));
        await harness.BringUpAsync(instance.Id);
    }

    [Fact]
    public async Task Launch_CapacityShortage_FailsWithTheCloudsClassCodeAndMessage()
    {
        await using var harness = await LifecycleHarness.CreateAsync("defer-capacity");
        var instance = await harness.CreateAsync();
        harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.InsufficientCapacity, "SIMULATED",
            "InsufficientInstanceCapacity", "We currently do not have sufficient sim.gpu.small capacity in sim-local-1."));

        await harness.LaunchAsync(instance.Id);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().Be(
            "InsufficientCapacity: SIMULATED returned InsufficientInstanceCapacity: We currently do not have sufficient sim.gpu.small capacity in sim-local-1.");
    }

    [Fact]
    public async Task AwaitReady_Throttled_LooksAgainAfterTheRetryAfter()
    {
        await using var harness = await LifecycleHarness.CreateAsync("defer-describe");
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.Throttled, "SIMULATED", "RequestLimitExceeded",
            "Request limit exceeded.", TimeSpan.FromSeconds(20)));

        await harness.AwaitReadyAsync(instance.Id);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Provisioning);
        (await harness.ScheduledAtAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should()
            .BeCloseTo(harness.Clock.GetUtcNow().AddSeconds(20), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Terminate_WhileTheCircuitIsOpen_KeepsStoppingAndTriesAgainLater()
    {
        await using var harness = await LifecycleHarness.CreateAsync("defer-terminate");
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);
        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        harness.Cloud.FailNext.Enqueue(CircuitOpen(TimeSpan.FromSeconds(15)));

        await harness.TerminateAsync(instance.Id);

        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
        (await harness.ScheduledAtAsync(InstanceWorkKind.Terminate, instance.Id)).Should()
            .BeCloseTo(harness.Clock.GetUtcNow().AddSeconds(15), TimeSpan.FromMilliseconds(1));
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(1, "the stop was not sent yet");

        harness.Clock.Advance(TimeSpan.FromSeconds(15));
        await harness.TerminateAsync(instance.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Terminated);
    }
}
