using Provisioner.Core.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>
/// The refill, one pass at a time on a manual clock over the simulated cloud: a pool is brought to its minimum and kept
/// there, idle machines above the target are released, a deleted pool is drained, and a launch whose answer was lost is
/// recovered by its token, never doubled.
/// </summary>
public sealed class PoolRefillTests
{
    [Fact]
    public async Task Refill_BringsAPoolToMin_LaunchedWithThePoolsOwnershipTags_WarmOnceBooted()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-refill-min");
        var pool = await harness.CreatePoolAsync("small", min: 2, max: 4);

        var first = await harness.RefillAsync(pool);

        (first.Target, first.Launched, first.Warmed).Should().Be((2, 2, 0));
        var starting = await harness.MachinesAsync(pool);
        starting.Should().HaveCount(2).And.OnlyContain(m => m.State == PoolMachineState.Starting && m.CloudInstanceId != null);
        foreach (var machine in starting)
        {
            (await harness.Database.ScalarAsync<string>(
                "SELECT tags ->> 'provisioner:pool' FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", machine.Id.ToString()))
                .Should().Be("small", "a pool machine carries the ownership tags with its own id, and its pool's name");
        }

        (await harness.RefillAsync(pool)).Launched.Should().Be(0, "machines starting count toward the target");
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        (await harness.RefillAsync(pool)).Warmed.Should().Be(2);

        var warm = await harness.MachinesAsync(pool);
        warm.Should().OnlyContain(m => m.State == PoolMachineState.Warm && m.PublicIp != null && m.ReadyAt > harness.Clock.GetUtcNow().AddSeconds(-1));
        harness.Cloud.LaunchCalls.Should().Be(2);
    }

    [Fact]
    public async Task Refill_ReleasesWarmMachinesIdlePastTheLimitAboveMin_AndKeepsMin()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-refill-idle");
        var pool = await harness.CreatePoolAsync("idle", min: 3, max: 3, idleMinutes: 5);
        await harness.WarmUpAsync(pool);
        await harness.Get<PoolCommands>().UpdateAsync(pool.Id, new PoolSize(1, 3, 5, false), null, CancellationToken.None);

        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        (await harness.RefillAsync(pool)).Released.Should().Be(0, "none has idled 5 minutes yet");

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        (await harness.RefillAsync(pool)).Released.Should().Be(2);

        (await harness.CountAsync(pool, PoolMachineState.Warm)).Should().Be(1, "min is kept however long it idles");
        (await harness.CountAsync(pool, PoolMachineState.Released)).Should().Be(2);
        (await harness.Database.ScalarAsync<long>(
            "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:pool' = 'idle' AND terminate_requested_at IS NOT NULL"))
            .Should().Be(2, "released machines are terminated in the cloud");
    }

    [Fact]
    public async Task Delete_DrainsEveryMachine_ThenThePoolIsDeleted()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-drain");
        var pool = await harness.CreatePoolAsync("drain", min: 2, max: 2);
        await harness.WarmUpAsync(pool);
        await harness.RefillAsync(pool);

        await harness.Get<PoolCommands>().DrainAsync(pool.Id, CancellationToken.None);
        (await harness.CreateAsync()).Status.Should().Be(Core.Instances.InstanceStatus.Provisioning, "a draining pool serves no one");
        var run = await harness.RefillAsync(pool);

        (run.Target, run.Released).Should().Be((0, 2));
        (await harness.Get<PoolCommands>().GetAsync(pool.Id, CancellationToken.None)).Pool.Status.Should().Be(WarmPoolStatus.Deleted);
        (await harness.Database.ScalarAsync<long>(
            "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:pool' = 'drain' AND terminate_requested_at IS NULL"))
            .Should().Be(0);
    }

    [Fact]
    public async Task Launch_AnswerLost_NextPassRecordsTheSameSingleMachine()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-lost-answer");
        var pool = await harness.CreatePoolAsync("lost", min: 1, max: 1);
        harness.Cloud.LoseLaunchAnswers = 1;

        var crashed = await harness.RefillAsync(pool);

        crashed.Error.Should().NotBeNull();
        var intent = (await harness.MachinesAsync(pool)).Should().ContainSingle().Subject;
        intent.CloudInstanceId.Should().BeNull("the answer never came");
        (await harness.MachinesForAsync(intent.Id)).Should().Be(1, "the cloud did start it");

        await harness.RefillAsync(pool);

        var recorded = (await harness.MachinesAsync(pool)).Should().ContainSingle().Subject;
        recorded.CloudInstanceId.Should().NotBeNull();
        (await harness.MachinesForAsync(intent.Id)).Should().Be(1, "the launch token made the second call return the first machine");
    }

    [Fact]
    public async Task Reconciliation_LeavesPoolMachinesAlone_AndReapsOneWhosePoolReleasedIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-reconcile");
        var pool = await harness.CreatePoolAsync("watched", min: 1, max: 1);
        await harness.WarmUpAsync(pool);
        var warm = (await harness.MachinesAsync(pool)).Single();
        harness.Clock.Advance(harness.Options.OrphanGracePeriod + TimeSpan.FromMinutes(1));

        (await harness.ReconcileAsync()).OrphansTerminated.Should().Be(0, "a warm machine is its pool's, not an orphan");
        (await harness.LiveMachinesForAsync(warm.Id)).Should().Be(1);

        // A pool machine recorded released whose machine still runs (a terminate that never reached the cloud): nobody owns it.
        await harness.Database.ExecuteAsync(
            "UPDATE provisioner.pool_machines SET state = 'RELEASED', released_at = now() WHERE id = $1", warm.Id);
        (await harness.ReconcileAsync()).OrphansTerminated.Should().Be(1);
        (await harness.LiveMachinesForAsync(warm.Id)).Should().Be(0);
    }

    [Fact]
    public async Task WarmMachineLostInTheCloud_LeavesThePool_IsNeverDrawn_AndIsReplaced()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-lost-machine");
        var pool = await harness.CreatePoolAsync("lossy", min: 1, max: 1);
        await harness.WarmUpAsync(pool);
        var lost = (await harness.MachinesAsync(pool)).Single();
        await harness.Get<Core.Providers.Simulated.SimulatedCloudControl>().HideAsync(lost.CloudInstanceId!, harness.Clock.GetUtcNow(), CancellationToken.None);

        await harness.ReconcileAsync();

        var released = (await harness.MachinesAsync(pool)).Single(m => m.Id == lost.Id);
        (released.State, released.ReleaseReason).Should().Be((PoolMachineState.Releasing, $"lost: the cloud no longer runs machine {lost.CloudInstanceId}"));
        (await harness.CreateAsync()).Status.Should().Be(Core.Instances.InstanceStatus.Provisioning, "a lost machine is never drawn");
        var run = await harness.RefillAsync(pool);
        (run.Released, run.Launched).Should().Be((1, 1), "the refill finishes the release and replaces the machine");
    }
}
