using System.Diagnostics.Metrics;
using Provisioner.Core.Telemetry;

namespace Provisioner.Api.Instances.Waiting;

/// <summary>
/// The reads held for a change, by instance: <see cref="InstanceChangeFeed"/> wakes those of a notified instance, or
/// all of them when it cannot know what it missed. A read registers before it looks at the row, so a change
/// committed between its look and its wait still wakes it.
/// </summary>
public sealed class InstanceChangeWaiters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<TaskCompletionSource>> _byInstance = [];

    public InstanceChangeWaiters(IMeterFactory meters) =>
        meters.Create(ProvisionerMetrics.MeterName).CreateObservableGauge("provisioner.instance.held_reads", () => Count, "{read}",
            "Reads of an instance this API process holds now, waiting for it to change (Prefer: wait).");

    /// <summary>Reads held now [provisioner_instance_held_reads].</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byInstance.Values.Sum(list => list.Count);
            }
        }
    }

    /// <summary>Completes at the next change of the instance. Dispose it when done, woken or not, so nothing is kept.</summary>
    public Registration Register(Guid instanceId)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_byInstance.TryGetValue(instanceId, out var list))
            {
                _byInstance[instanceId] = list = [];
            }

            list.Add(waiter);
        }

        return new Registration(this, instanceId, waiter);
    }

    /// <summary>The instance changed: wake every read held on it.</summary>
    public void Wake(Guid instanceId)
    {
        List<TaskCompletionSource>? woken;
        lock (_gate)
        {
            _byInstance.Remove(instanceId, out woken);
        }

        foreach (var waiter in woken ?? [])
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Changes may have gone unheard (the feed reconnected): every held read looks again.</summary>
    public void WakeAll()
    {
        List<TaskCompletionSource> woken;
        lock (_gate)
        {
            woken = [.. _byInstance.Values.SelectMany(list => list)];
            _byInstance.Clear();
        }

        foreach (var waiter in woken)
        {
            waiter.TrySetResult();
        }
    }

    private void Remove(Guid instanceId, TaskCompletionSource waiter)
    {
        lock (_gate)
        {
            if (_byInstance.TryGetValue(instanceId, out var list) && list.Remove(waiter) && list.Count == 0)
            {
                _byInstance.Remove(instanceId);
            }
        }
    }

    /// <summary>One held read's place in line.</summary>
    public readonly struct Registration(InstanceChangeWaiters owner, Guid instanceId, TaskCompletionSource waiter) : IDisposable
    {
        public Task Changed => waiter.Task;

        public void Dispose() => owner.Remove(instanceId, waiter);
    }
}
