using Microsoft.Extensions.Options;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Pools;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Runs the passes that come every few seconds (the pool refill, Pools:RefillInterval, 5 s; the machine watch,
/// Lifecycle:WatchInterval, 10 s) as a timer in every worker instead of as recurring jobs. Measured idle (issue 24):
/// each run as a Hangfire job cost about 25 statements and 3 store locks (its creation, three state changes, the
/// recurring scheduler's lock) while the pass itself, with nothing to do, is 1-3 small queries; the two made 18 of the
/// idle stack's jobs per minute. Every worker wakes at the same instants (multiples of the interval since the Unix
/// epoch, as the cron did), and the passes' advisory locks let one of them run each pass, so a pass still runs once
/// per period across all workers, and a slow pass makes the next skip rather than overlap.
/// </summary>
internal sealed class FrequentPasses(
    IServiceScopeFactory scopes,
    IOptions<PoolsOptions> pools,
    IOptions<LifecycleOptions> lifecycle,
    TimeProvider clock,
    ILogger<FrequentPasses> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            EveryAsync(pools.Value.RefillInterval, "pool refill", (jobs, ct) => jobs.RefillPools(ct), stoppingToken),
            EveryAsync(lifecycle.Value.WatchInterval, "machine watch", (jobs, ct) => jobs.WatchMachines(ct), stoppingToken));

    /// <summary>How long from <paramref name="now"/> to the next multiple of <paramref name="interval"/> since the epoch.</summary>
    internal static TimeSpan UntilNextTick(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = interval.Ticks;
        var since = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return TimeSpan.FromTicks(ticks - (since % ticks));
    }

    private async Task EveryAsync(TimeSpan interval, string name, Func<IMaintenanceJobs, CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(UntilNextTick(clock.GetUtcNow(), interval), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await pass(scope.ServiceProvider.GetRequiredService<IMaintenanceJobs>(), stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.PassFailed(error, name);
            }
        }
    }
}
