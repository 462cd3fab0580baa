using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances.Waiting;

/// <summary>
/// Reads an instance, and while it is still the version the client holds, waits for it to change: woken by
/// <see cref="InstanceChangeFeed"/>, looking again every <see cref="InstanceWaitOptions.FallbackPoll"/> in case a
/// notice was lost. One held read replaces a client's poll loop, and answers the moment the change commits.
/// </summary>
public sealed class HeldReads(
    InstanceQueries queries,
    InstanceChangeWaiters waiters,
    IOptions<InstanceWaitOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock)
{
    /// <summary>
    /// The instance once <paramref name="unchanged"/> no longer holds, or as it is when <paramref name="wait"/> runs
    /// out or the API is stopping (so a shutdown is not held up by waits); null if the tenant has no such instance.
    /// </summary>
    public async Task<Instance?> ReadAsync(string owner, Guid id, Func<Instance, bool> unchanged, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        while (true)
        {
            // Before the read: a change committed after it still wakes this wait.
            using var registration = waiters.Register(id);
            var instance = await queries.FindAsync(owner, id, cancellationToken);
            var left = deadline - clock.GetUtcNow();
            if (instance is null || !unchanged(instance) || left <= TimeSpan.Zero || stopping.IsCancellationRequested)
            {
                return instance;
            }

            var fallback = options.Value.FallbackPoll;
            try
            {
                await registration.Changed.WaitAsync(left < fallback ? left : fallback, clock, stopping.Token);
            }
            catch (TimeoutException)
            {
                // Look again: the fallback poll, or the last look before the wait runs out.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return instance;
            }
        }
    }
}
