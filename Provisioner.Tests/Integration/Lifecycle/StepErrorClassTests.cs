using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>
/// Every error class the cloud port can raise, met by every step that calls the cloud, on its first attempt and on its
/// last: no step throws (a throw would be a failed background job, retried every minute, its words lost). Retryable
/// classes are retried or deferred; the rest settle the instance (or the termination attempt) at once, in the cloud's words.
/// </summary>
public sealed class StepErrorClassTests
{
    /// <summary>Every class, and throttled both with the wait the cloud named and without one.</summary>
    public static IEnumerable<CloudProviderException> EveryClass() =>
    [
        .. Enum.GetValues<CloudErrorKind>().Select(kind => new CloudProviderException(kind, "SIMULATED", $"Code{kind}", $"the cloud says {kind}")),
        new CloudProviderException(CloudErrorKind.Throttled, "SIMULATED", "CircuitOpen", "calls are paused", TimeSpan.FromSeconds(20)),
    ];

    [Fact]
    public async Task AwaitReady_EveryErrorClass_RetriesDefersOrFailsAtOnceInTheCloudsWords()
    {
        await using var harness = await LifecycleHarness.CreateAsync("step-errors-ready");
        foreach (var last in new[] { false, true })
        {
            foreach (var error in EveryClass())
            {
                var instance = await harness.CreateAsync();
                await harness.LaunchAsync(instance.Id);
                harness.Cloud.FailNext.Enqueue(error);

                var outcome = await harness.AwaitReadyAsync(instance.Id, finalAttempt: last);

                var after = await harness.ReloadAsync(instance.Id);
                var because = $"{error.Kind} ({error.CloudCode}) on the {(last ? "last" : "first")} attempt";
                if (error.IsRetryable || error.Kind == CloudErrorKind.NotFound)
                {
                    after.Status.Should().Be(InstanceStatus.Provisioning, because);
                    (outcome.IsRetry || await harness.IsScheduledAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should().BeTrue(because);
                }
                else
                {
                    after.Status.Should().Be(InstanceStatus.Failed, because);
                    after.FailureReason.Should().Be($"{error.Kind}: SIMULATED returned {error.CloudCode}: {error.CloudMessage}", because);
                    (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue("the machine it launched is released: " + because);
                }
            }
        }
    }

    [Fact]
    public async Task Launch_EveryErrorClass_RetriesDefersFailsOverOrFailsInTheCloudsWords()
    {
        await using var harness = await LifecycleHarness.CreateAsync("step-errors-launch");
        foreach (var last in new[] { false, true })
        {
            foreach (var error in EveryClass())
            {
                var instance = await harness.CreateAsync();
                harness.Cloud.FailNext.Enqueue(error);

                var outcome = await harness.LaunchAsync(instance.Id, finalAttempt: last);

                var after = await harness.ReloadAsync(instance.Id);
                var because = $"{error.Kind} ({error.CloudCode}) on the {(last ? "last" : "first")} attempt";
                if (error.AskedToWait is not null || (error.IsRetryable && !last))
                {
                    after.Status.Should().Be(InstanceStatus.Provisioning, because);
                    (outcome.IsRetry || await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeTrue(because);
                }
                else if (after.Status == InstanceStatus.Failed)
                {
                    after.FailureReason.Should().Contain($"SIMULATED returned {error.CloudCode}: {error.CloudMessage}", because);
                }
                else
                {
                    error.Kind.Should().Be(CloudErrorKind.InsufficientCapacity, "only a capacity refusal moves the launch on: " + because);
                }
            }
        }
    }

    [Fact]
    public async Task Terminate_EveryErrorClass_RetriesDefersOrEndsTheAttemptInTheCloudsWords()
    {
        await using var harness = await LifecycleHarness.CreateAsync("step-errors-stop");
        foreach (var last in new[] { false, true })
        {
            foreach (var error in EveryClass())
            {
                var instance = await harness.CreateAsync();
                await harness.BringUpAsync(instance.Id);
                await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
                harness.Cloud.FailNext.Enqueue(error);

                var outcome = await harness.TerminateAsync(instance.Id, finalAttempt: last);

                await AssertTerminateSettledAsync(harness, instance.Id, error, outcome, last);
            }
        }
    }

    /// <summary>The launch's answer was lost, so the terminate step first looks the machine up by its tag: that lookup too.</summary>
    [Fact]
    public async Task Terminate_LookupByTag_EveryErrorClass_NeverThrows()
    {
        await using var harness = await LifecycleHarness.CreateAsync("step-errors-find");
        foreach (var last in new[] { false, true })
        {
            foreach (var error in EveryClass().Where(e => e.Kind != CloudErrorKind.NotFound))
            {
                var instance = await harness.CreateAsync();
                harness.Cloud.LoseLaunchAnswers = 1;
                await harness.LaunchAsync(instance.Id);
                (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().BeNull();
                await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
                harness.Cloud.FailNextFind.Enqueue(error);

                var outcome = await harness.TerminateAsync(instance.Id, finalAttempt: last);

                await AssertTerminateSettledAsync(harness, instance.Id, error, outcome, last);
            }
        }
    }

    private static async Task AssertTerminateSettledAsync(LifecycleHarness harness, Guid id, CloudProviderException error, StepOutcome outcome, bool last)
    {
        var after = await harness.ReloadAsync(id);
        var because = $"{error.Kind} ({error.CloudCode}) on the {(last ? "last" : "first")} attempt";
        var now = harness.Clock.GetUtcNow();
        if (error.Kind == CloudErrorKind.NotFound)
        {
            after.Status.Should().Be(InstanceStatus.Terminated, "terminating what the cloud does not know is done: " + because);
        }
        else if (error.IsRetryable)
        {
            after.Status.Should().Be(InstanceStatus.Stopping, because);
            if (!outcome.IsRetry)
            {
                (await harness.ScheduledAtAsync(InstanceWorkKind.Terminate, id)).Should()
                    .BeCloseTo(now + (error.AskedToWait ?? harness.Options.TerminatePollInterval), TimeSpan.FromMilliseconds(1), because);
            }
        }
        else
        {
            outcome.IsRetry.Should().BeFalse(because);
            after.Status.Should().Be(InstanceStatus.Failed, because);
            after.FailureReason.Should().Be(
                $"Termination refused, the machine may still run: {error.Kind}: SIMULATED returned {error.CloudCode}: {error.CloudMessage}", because);
            after.ReleasedAt.Should().BeNull("the machine is not known released: " + because);
            (await harness.ScheduledAtAsync(InstanceWorkKind.Terminate, id)).Should()
                .BeCloseTo(now + harness.Options.RefusedTerminateRetryInterval, TimeSpan.FromMilliseconds(1), "its release is tried again later: " + because);
        }
    }
}
