using Provisioner.Client.Models;
using Provisioner.Client.Waiting;

namespace Provisioner.Client;

/// <summary>Waiting for an instance to be usable or to end, by polling with a growing pause, cut short by webhooks.</summary>
public sealed partial class ProvisionerClient
{
    /// <summary>Returns the instance once READY or RUNNING; throws <see cref="InstanceFailedException"/> if it ends first.</summary>
    public async Task<Instance> WaitUntilReadyAsync(Guid id, WaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var instance = await WaitAsync(id, i => InstanceStatuses.IsUsable(i.Status) || InstanceStatuses.IsFinal(i.Status), options, cancellationToken).ConfigureAwait(false);
        return InstanceStatuses.IsUsable(instance.Status) ? instance : throw new InstanceFailedException(instance);
    }

    /// <summary>Returns the instance once TERMINATED or FAILED.</summary>
    public Task<Instance> WaitUntilFinishedAsync(Guid id, WaitOptions? options = null, CancellationToken cancellationToken = default) =>
        WaitAsync(id, i => InstanceStatuses.IsFinal(i.Status), options, cancellationToken);

    private async Task<Instance> WaitAsync(Guid id, Func<Instance, bool> done, WaitOptions? options, CancellationToken cancellationToken)
    {
        options ??= new WaitOptions();
        var clock = _options.TimeProvider;
        var deadline = clock.GetUtcNow() + options.Timeout;
        var pause = options.InitialPollInterval;
        Instance? last = null;
        while (true)
        {
            var changed = options.Signal?.NextChange(id);
            var instance = await GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            if ((last is null || last.Status != instance.Status || last.UpdatedAt != instance.UpdatedAt) && options.OnChange is { } onChange)
            {
                await onChange(instance, cancellationToken).ConfigureAwait(false);
            }

            last = instance;
            if (done(instance))
            {
                return instance;
            }

            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Instance {id} is still {instance.Status} after {options.Timeout}.");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(pause < left ? pause : left, clock, stop.Token);
            await (changed is null ? delay : Task.WhenAny(delay, changed)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var grown = pause * 1.5;
            pause = grown < options.MaxPollInterval ? grown : options.MaxPollInterval;
        }
    }
}
