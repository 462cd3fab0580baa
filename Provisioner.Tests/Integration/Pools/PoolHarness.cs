using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>Pools on the lifecycle harness: define one, run the refill as the recurring job would, read its machines.</summary>
internal static class PoolHarness
{
    public static Task<WarmPool> CreatePoolAsync(
        this LifecycleHarness harness, string name, int min, int max, int idleMinutes = 10, bool autoscale = false, string[]? tenants = null) =>
        harness.Get<PoolCommands>().CreateAsync(new PoolDefinition(
            name, CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 100, new PoolSize(min, max, idleMinutes, autoscale), tenants ?? []),
            CancellationToken.None);

    public static Task<PoolRefillRun> RefillAsync(this LifecycleHarness harness, WarmPool pool) =>
        harness.Get<PoolRefill>().RefillAsync(pool.Id, CancellationToken.None);

    /// <summary>Refills, lets the simulated boot pass, and refills again: the machines launched are warm.</summary>
    public static async Task WarmUpAsync(this LifecycleHarness harness, WarmPool pool)
    {
        await harness.RefillAsync(pool);
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        await harness.RefillAsync(pool);
    }

    public static async Task<List<PoolMachine>> MachinesAsync(this LifecycleHarness harness, WarmPool pool)
    {
        await using var db = harness.Database.CreateDbContext();
        return await db.PoolMachines.AsNoTracking().Where(m => m.PoolId == pool.Id).OrderBy(m => m.LaunchRequestedAt).ToListAsync();
    }

    public static async Task<int> CountAsync(this LifecycleHarness harness, WarmPool pool, PoolMachineState state) =>
        (await harness.MachinesAsync(pool)).Count(m => m.State == state);
}
