using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Provisioner.Core.Reconciliation;
using Provisioner.Hosting.Health;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Watch;

/// <summary>
/// A machine watch pass that cannot read a region is recorded per cloud (the Reconciliation page shows it) and turns
/// <c>/health/ready</c>'s reconciliation check Degraded, failing since its first such pass; a pass that reads everything
/// clears both.
/// </summary>
public sealed class MachineWatchStateTests
{
    [Fact]
    public async Task APassThatCannotReadARegion_IsRecorded_AndDegraded_UntilAPassReadsItAll()
    {
        await using var harness = await LifecycleHarness.CreateAsync("watch-state");
        var instance = await harness.CreateAsync();
        var ready = await harness.BringUpAsync(instance.Id);
        var refused = new CloudProviderException(CloudErrorKind.Unauthorized, harness.Cloud.Name, "UnauthorizedOperation",
            "You are not authorized to perform: ec2:DescribeInstanceStatus");
        harness.Cloud.FailNext.Enqueue(refused);
        var firstFailedAt = harness.Clock.GetUtcNow();

        (await WatchAsync(harness)).UnreadRegions.Should().Equal("sim-local-1");

        var state = await StateAsync(harness);
        state.Error.Should().Be($"partial: sim-local-1 unread (Unauthorized: {harness.Cloud.Name} returned UnauthorizedOperation: You are not authorized to perform: ec2:DescribeInstanceStatus)");
        (state.Watched, state.FailingSince).Should().Be((1, (DateTimeOffset?)state.CheckedAt));
        var degraded = await HealthAsync(harness);
        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Description.Should().Be($"machine watch {harness.Cloud.Name} partial; see the Reconciliation page");
        degraded.Data[$"watch {harness.Cloud.Name}"].Should().Be(state.Error);
        (await harness.ReloadAsync(ready.Id)).Status.Should().Be(InstanceStatus.Ready, "nothing is concluded from a region not read");

        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        harness.Cloud.FailNext.Enqueue(refused);
        await WatchAsync(harness);
        (await StateAsync(harness)).FailingSince.Should().BeCloseTo(firstFailedAt, TimeSpan.FromMicroseconds(1), "failing since the first pass that could not read");

        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        (await WatchAsync(harness)).UnreadRegions.Should().BeEmpty();

        var cleared = await StateAsync(harness);
        (cleared.Error, cleared.FailingSince).Should().Be(((string?)null, (DateTimeOffset?)null));
        (await HealthAsync(harness)).Status.Should().Be(HealthStatus.Healthy);
    }

    private static Task<MachineWatchRun> WatchAsync(LifecycleHarness harness) =>
        harness.Get<MachineWatch>().WatchAsync(harness.Cloud, CancellationToken.None);

    private static async Task<MachineWatchState> StateAsync(LifecycleHarness harness)
    {
        await using var db = await harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContextAsync();
        return await db.MachineWatchStates.AsNoTracking().SingleAsync(s => s.Backend == harness.Cloud.Name);
    }

    private static Task<HealthCheckResult> HealthAsync(LifecycleHarness harness) =>
        new ReconciliationHealthCheck(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Clock)
            .CheckHealthAsync(new HealthCheckContext());
}
