using Provisioner.Core.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Pools;

/// <summary>An autoscaled pool on a driven clock: it grows under a steady rate of matching requests and shrinks to min once they stop and its machines idle.</summary>
public sealed class PoolAutoscaleTests
{
    [Fact]
    public async Task SteadyRequests_GrowThePool_ToRateTimesBootTime_ThenItShrinksToMinAfterTheIdleTime()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pool-autoscale");
        // One cold boot measures the cloud: launch to READY in 16 s on the simulated cloud's clock.
        var cold = await harness.CreateAsync();
        await harness.BringUpAsync(cold.Id);
        var pool = await harness.CreatePoolAsync("scaled", min: 0, max: 6, idleMinutes: 5, autoscale: true);
        (await harness.RefillAsync(pool)).Target.Should().Be(0, "no demand yet");

        // One matching request every 4 s for the 10-minute demand window: 0.25/s × 16 s = 4 machines.
        for (var i = 0; i < 150; i++)
        {
            await harness.CreateAsync();
            harness.Clock.Advance(TimeSpan.FromSeconds(4));
        }

        var grown = await harness.RefillAsync(pool);
        (grown.Target, grown.Launched).Should().Be((4, 4));
        harness.Clock.Advance(TimeSpan.FromSeconds(16));
        (await harness.RefillAsync(pool)).Warmed.Should().Be(4);

        // The requests stop: the target falls as they leave the window, but machines go only after idling 5 minutes.
        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        var quiet = await harness.RefillAsync(pool);
        quiet.Target.Should().BeLessThan(4);
        quiet.Released.Should().Be(0, "none has idled 5 minutes");
        harness.Clock.Advance(TimeSpan.FromMinutes(7));
        var shrunk = await harness.RefillAsync(pool);
        (shrunk.Target, shrunk.Released).Should().Be((0, 4));
        (await harness.CountAsync(pool, PoolMachineState.Warm)).Should().Be(0);
    }
}
