using System.Collections.Concurrent;

namespace Provisioner.Client.Waiting;

/// <summary>
/// Lets a webhook receiver cut a wait short: after verifying an event, call <see cref="Notify(Guid)"/> and the waits on
/// that instance read it at once instead of at their next poll. Polling still runs, so a lost webhook only costs time.
/// </summary>
public sealed class InstanceChangeSignal
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    /// <summary>The instance changed: wake whoever waits on it.</summary>
    public void Notify(Guid instanceId)
    {
        if (_waiting.TryRemove(instanceId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Wakes the waits on the instance an instance event is about; other events are ignored.</summary>
    public void Notify(Webhooks.WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        if (webhookEvent.InstanceId is { } id)
        {
            Notify(id);
        }
    }

    /// <summary>Completes at the next <see cref="Notify(Guid)"/> for the instance. Taken before a read, so no notice falls between.</summary>
    internal Task NextChange(Guid instanceId) =>
        _waiting.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
