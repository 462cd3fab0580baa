using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Core.Reconciliation;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Watch;

/// <summary>
/// Impaired machines through the machine watch, over the simulated cloud on a manual clock: a ready machine failing its health
/// checks for longer than Lifecycle:ImpairedAfter (measured from the cloud's first impaired report) ends FAILED as interrupted
/// in the cloud's words, billed exactly until then and released; one that passes its checks again in time is left alone.
/// </summary>
public sealed class ImpairedMachineTests
{
    private static readonly TimeSpan ImpairedAfter = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ImpairedLongerThanTheSetting_IsInterrupted_BilledUntilThen_AndReleased()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-impair", o => o.ImpairedAfter = ImpairedAfter);
        var ready = await BringUpAsync(harness);
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        // The cloud first reported it impaired 30 s before the watch first looks: the setting runs from the cloud's report.
        var impairedAt = Microseconds(harness.Clock.GetUtcNow().AddSeconds(-30));
        await harness.Get<SimulatedCloudControl>().ImpairAsync(ready.CloudInstanceId!, impairedAt, CancellationToken.None);

        (await WatchAsync(harness)).Interrupted.Should().Be(0, "impaired for 30 s, less than the setting");
        var noted = await harness.ReloadAsync(ready.Id);
        (noted.Status, noted.ImpairedSince).Should().Be((InstanceStatus.Ready, impairedAt));

        harness.Clock.Advance(TimeSpan.FromSeconds(89));
        (await WatchAsync(harness)).Interrupted.Should().Be(0, "impaired for 119 s");

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var declaredAt = harness.Clock.GetUtcNow();
        (await WatchAsync(harness)).Interrupted.Should().Be(1, "impaired for 120 s since the cloud's first report");

        var after = await harness.ReloadAsync(ready.Id);
        after.Status.Should().Be(InstanceStatus.Failed);
        after.FailureReason.Should().Be(
            $"Interrupted: machine {ready.CloudInstanceId} failed the cloud's health checks from {impairedAt:O} for longer than 120 s: "
            + $"instance status impaired (reachability check failed) since {impairedAt:O} (injected through SimulatedCloudControl)");
        after.InterruptedAt.Should().BeCloseTo(declaredAt, TimeSpan.FromMicroseconds(1), "billed until the watch gave up on the machine");
        after.TotalCost.Should().Be(after.Billing.Charge(after.CostPerHour, after.InterruptedAt!.Value - after.LaunchedAt!.Value), "by the billing rule");
        after.CostAt(declaredAt.AddHours(1)).Should().Be(after.TotalCost, "nothing is billed after it");
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, ready.Id)).Should().BeTrue("the impaired machine is still held, so it is deleted");

        await harness.TerminateAsync(ready.Id);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(ready.Id);
        var released = await harness.ReloadAsync(ready.Id);
        released.ReleasedAt.Should().NotBeNull("the terminate step deleted the machine and saw it gone");
        released.TotalCost.Should().Be(after.TotalCost, "the seconds the delete took are not billed");
    }

    [Fact]
    public async Task ImpairedThenRecoveredInTime_IsLeftAlone_AndANewImpairmentIsMeasuredAfresh()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-recover", o => o.ImpairedAfter = ImpairedAfter);
        var ready = await BringUpAsync(harness);
        var control = harness.Get<SimulatedCloudControl>();
        await control.ImpairAsync(ready.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);
        (await WatchAsync(harness)).Interrupted.Should().Be(0);
        (await harness.ReloadAsync(ready.Id)).ImpairedSince.Should().NotBeNull();

        harness.Clock.Advance(TimeSpan.FromSeconds(100));
        await control.RecoverAsync(ready.CloudInstanceId!, CancellationToken.None);
        (await WatchAsync(harness)).Interrupted.Should().Be(0);
        var recovered = await harness.ReloadAsync(ready.Id);
        (recovered.Status, recovered.ImpairedSince).Should().Be((InstanceStatus.Ready, (DateTimeOffset?)null), "it passes its checks again");

        // Impaired again: 100 s of the earlier impairment do not count towards the setting.
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var again = Microseconds(harness.Clock.GetUtcNow());
        await control.ImpairAsync(ready.CloudInstanceId!, again, CancellationToken.None);
        (await WatchAsync(harness)).Interrupted.Should().Be(0);
        harness.Clock.Advance(TimeSpan.FromSeconds(60));
        (await WatchAsync(harness)).Interrupted.Should().Be(0);

        var untouched = await harness.ReloadAsync(ready.Id);
        (untouched.Status, untouched.ImpairedSince, untouched.InterruptedAt).Should().Be((InstanceStatus.Ready, again, (DateTimeOffset?)null));
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, ready.Id)).Should().BeFalse("nothing is released");
    }

    /// <summary>As PostgreSQL keeps it: to the microsecond.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.Ticks - (at.Ticks % 10), at.Offset);

    private static async Task<Instance> BringUpAsync(LifecycleHarness harness)
    {
        var instance = await harness.CreateAsync();
        return await harness.BringUpAsync(instance.Id);
    }

    private static Task<MachineWatchRun> WatchAsync(LifecycleHarness harness) =>
        harness.Get<MachineWatch>().WatchAsync(harness.Cloud, CancellationToken.None);
}
