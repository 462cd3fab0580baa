using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Placement;
using Provisioner.Core.Pools;
using Provisioner.Core.Providers;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>
/// A create a pool can serve takes a warm machine in its own transaction: READY when the create returns, billed to the
/// tenant from the draw; the pool refills; a machine is on one instance or in its pool, never both, never neither, never
/// lost; tenants outside a restricted pool never draw.
/// </summary>
public sealed class PoolDrawTests
{
    [Fact]
    public async Task Create_ServedWarm_IsReadyWhenItReturns_BilledFromTheDraw_AndThePoolRefills()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-draw");
        var pool = await harness.CreatePoolAsync("served", min: 1, max: 2);
        await harness.WarmUpAsync(pool);
        var warm = (await harness.MachinesAsync(pool)).Single();
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        var drawnAt = harness.Clock.GetUtcNow();

        var instance = await harness.CreateAsync();

        instance.Status.Should().Be(InstanceStatus.Ready, "the create itself handed the machine over");
        instance.CloudInstanceId.Should().Be(warm.CloudInstanceId);
        (instance.PublicIp, instance.PrivateIp).Should().Be((warm.PublicIp, warm.PrivateIp));
        instance.LaunchedAt.Should().Be(drawnAt, "the tenant is billed from the draw, not from the machine's boot");
        instance.ReadyAt.Should().Be(drawnAt);
        var stored = await harness.ReloadAsync(instance.Id);
        stored.Status.Should().Be(InstanceStatus.Ready);
        stored.CostAt(drawnAt.AddHours(1)).Should().Be(stored.Billing.Charge(stored.CostPerHour, TimeSpan.FromHours(1)));
        (await harness.EventsAsync(instance.Id)).Select(e => e.ToStatus).Should().Equal(
            InstanceStatus.Provisioning, InstanceStatus.Configuring, InstanceStatus.Ready);
        (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeFalse("nothing is launched");
        (await harness.ScheduledAtAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().BeCloseTo(instance.AutoTerminateAt, TimeSpan.FromMilliseconds(1));
        var attempts = await harness.Get<LaunchAttemptLog>().ForAsync(instance.Id, CancellationToken.None);
        attempts.Should().ContainSingle().Which.Should().Match<LaunchAttempt>(a =>
            a.Outcome == LaunchAttemptOutcome.Warm && a.Detail!.StartsWith("served warm from pool served"));

        var drawn = (await harness.MachinesAsync(pool)).Single(m => m.Id == warm.Id);
        (drawn.State, drawn.InstanceId).Should().Be((PoolMachineState.Drawn, instance.Id));
        drawn.DrawnAt.Should().BeCloseTo(drawnAt, TimeSpan.FromMicroseconds(1));
        PoolOverhead.Within(drawn, drawnAt.AddHours(-1), drawnAt.AddHours(1))
            .Should().Be(decimal.Round(drawn.PricePerHour * (decimal)(drawn.DrawnAt!.Value - drawn.LaunchedAt!.Value).TotalSeconds / 3600m, 6), "the pool pays until the draw");

        (await harness.RefillAsync(pool)).Launched.Should().Be(1, "the pool refills to min in the background");

        // Ended, the machine goes with the instance: it never returns to the pool.
        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        await harness.TerminateAsync(instance.Id);
        (await harness.Database.ScalarAsync<bool>(
            "SELECT terminate_requested_at IS NOT NULL FROM simulated_cloud.machines WHERE id = $1", warm.CloudInstanceId!)).Should().BeTrue();
        (await harness.MachinesAsync(pool)).Single(m => m.Id == warm.Id).State.Should().Be(PoolMachineState.Drawn);
    }

    [Fact]
    public async Task Create_NoFreeMachine_LaunchesCold_AndCountsTheMiss()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-miss");
        var pool = await harness.CreatePoolAsync("empty", min: 1, max: 1);
        await harness.RefillAsync(pool);

        var instance = await harness.CreateAsync();

        instance.Status.Should().Be(InstanceStatus.Provisioning, "a starting machine is not drawn");
        (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeTrue();
        var view = await harness.Get<PoolCommands>().GetAsync(pool.Id, CancellationToken.None);
        (view.Requests, view.Served).Should().Be((1, 0));
    }

    [Fact]
    public async Task Create_RefusedByTheBudget_LeavesTheWarmMachineInThePool_AndCountsNoRequest()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-budget");
        var pool = await harness.CreatePoolAsync("budgeted", min: 1, max: 1);
        await harness.WarmUpAsync(pool);
        // sim.gpu.small's hour (0.45 USD) is over this cap. The draw is sent in the same batch as the budget's lock, before
        // the verdict: the refusal must take the draw back with the rest of the transaction.
        await harness.Get<Provisioner.Core.Budgets.BudgetCommands>().SetAsync(LifecycleHarness.Tenant, monthlyLimit: null, perInstanceCap: 0.01m, CancellationToken.None);

        var act = () => harness.CreateAsync();

        await act.Should().ThrowAsync<Provisioner.Core.Budgets.BudgetExceededException>();
        var machine = (await harness.MachinesAsync(pool)).Single();
        (machine.State, machine.InstanceId).Should().Be((PoolMachineState.Warm, (Guid?)null));
        var view = await harness.Get<PoolCommands>().GetAsync(pool.Id, CancellationToken.None);
        (view.Requests, view.Served).Should().Be((0, 0), "a refused create is no request of the pool's");
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE owner = $1", LifecycleHarness.Tenant)).Should().Be(0);

        await harness.Get<Provisioner.Core.Budgets.BudgetCommands>().RemoveAsync(LifecycleHarness.Tenant, CancellationToken.None);
        (await harness.CreateAsync()).Status.Should().Be(InstanceStatus.Ready, "the machine is still there to draw");
    }

    [Fact]
    public async Task Create_ByATenantOutsideARestrictedPool_NeverDraws()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-tenants");
        var pool = await harness.CreatePoolAsync("private", min: 1, max: 1, tenants: ["tenant-b"]);
        await harness.WarmUpAsync(pool);

        var outsider = await harness.CreateAsync();

        outsider.Status.Should().Be(InstanceStatus.Provisioning);
        (await harness.CountAsync(pool, PoolMachineState.Warm)).Should().Be(1);
        (await harness.Get<PoolCommands>().GetAsync(pool.Id, CancellationToken.None)).Requests.Should().Be(0, "it is not a request the pool could serve");

        var member = (await harness.Commands.CreateAsync("tenant-b", Spec(), null, CancellationToken.None)).Instance;
        member.Status.Should().Be(InstanceStatus.Ready);
    }

    [Fact]
    public async Task Create_WithABootScriptOrSpot_LaunchesCold()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-unservable");
        var pool = await harness.CreatePoolAsync("plain", min: 1, max: 1);
        await harness.WarmUpAsync(pool);

        var scripted = (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, Spec() with { UserData = "#!/bin/sh\necho hi" }, null, CancellationToken.None)).Instance;
        var bigDisk = (await harness.Commands.CreateAsync(LifecycleHarness.Tenant, Spec() with { DiskSizeGB = 500 }, null, CancellationToken.None)).Instance;

        scripted.Status.Should().Be(InstanceStatus.Provisioning, "a warm machine has booted: it cannot run a boot script");
        bigDisk.Status.Should().Be(InstanceStatus.Provisioning, "the pool's machines have a smaller disk");
        (await harness.CountAsync(pool, PoolMachineState.Warm)).Should().Be(1);
    }

    [Fact]
    public async Task ConcurrentCreates_EachWarmMachineIsDrawnByExactlyOne()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-race");
        var pool = await harness.CreatePoolAsync("race", min: 3, max: 3);
        await harness.WarmUpAsync(pool);

        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => harness.CreateAsync())));

        var served = created.Where(i => i.Status == InstanceStatus.Ready).ToList();
        served.Should().HaveCount(3);
        served.Select(i => i.CloudInstanceId).Should().OnlyHaveUniqueItems();
        var machines = await harness.MachinesAsync(pool);
        machines.Should().OnlyContain(m => m.State == PoolMachineState.Drawn);
        machines.Select(m => m.InstanceId).Should().BeEquivalentTo(served.Select(i => (Guid?)i.Id));
        created.Where(i => i.Status != InstanceStatus.Ready).Should().OnlyContain(i => i.Status == InstanceStatus.Provisioning);
    }

    [Fact]
    public async Task CrashDuringTheHandOver_LeavesTheMachineInThePool()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-crash");
        var pool = await harness.CreatePoolAsync("crash", min: 1, max: 1);
        await harness.WarmUpAsync(pool);
        var sut = new InstanceCommands(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), new CrashingQueue(), harness.Get<WebhookOutbox>(),
            harness.Get<InstanceUpdater>(), harness.Get<InstanceTypeCatalog>(), harness.Get<BillingRules>(), harness.Clock,
            providers: harness.Get<ICloudProviderResolver>());

        var act = () => sut.CreateAsync(LifecycleHarness.Tenant, Spec(), null, CancellationToken.None);

        await act.Should().ThrowAsync<IOException>("the process died after the draw, before its transaction committed");
        var machine = (await harness.MachinesAsync(pool)).Single();
        (machine.State, machine.InstanceId).Should().Be((PoolMachineState.Warm, null), "the draw rolled back with the instance");
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE owner = $1", LifecycleHarness.Tenant)).Should().Be(0);

        var next = await harness.CreateAsync();
        next.Status.Should().Be(InstanceStatus.Ready, "the machine is still there to be drawn, once");
        (await harness.MachinesAsync(pool)).Single().InstanceId.Should().Be(next.Id);
    }

    [Fact]
    public async Task ReleaseRacingADraw_OneWins_TheMachineIsNeverBoth()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-release-race");
        var pool = await harness.CreatePoolAsync("contended", min: 4, max: 4, idleMinutes: 1);
        await harness.WarmUpAsync(pool);
        await harness.Get<PoolCommands>().UpdateAsync(pool.Id, new PoolSize(0, 4, 1, false), null, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));

        var refill = Task.Run(() => harness.RefillAsync(pool));
        var creates = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => harness.CreateAsync())));
        await refill;

        var machines = await harness.MachinesAsync(pool);
        machines.Should().OnlyContain(m => m.State == PoolMachineState.Drawn || m.State == PoolMachineState.Released);
        machines.Where(m => m.State == PoolMachineState.Drawn).Select(m => m.InstanceId)
            .Should().BeEquivalentTo(creates.Where(i => i.Status == InstanceStatus.Ready).Select(i => (Guid?)i.Id));
        foreach (var ready in creates.Where(i => i.Status == InstanceStatus.Ready))
        {
            (await harness.Database.ScalarAsync<bool>(
                "SELECT terminate_requested_at IS NULL FROM simulated_cloud.machines WHERE id = $1", ready.CloudInstanceId!)).Should().BeTrue(
                "a drawn machine is never terminated by its pool");
        }
    }

    private static InstanceSpec Spec() => new("user-1", "task-1", "test", CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, 60,
        new Dictionary<string, string>());

    private sealed class CrashingQueue : IInstanceWorkQueue
    {
        public Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken) =>
            throw new IOException("connection lost while scheduling (injected)");

        public Task WithdrawAsync(DbTransaction transaction, Guid instanceId, IReadOnlyCollection<InstanceWorkKind> kinds, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
