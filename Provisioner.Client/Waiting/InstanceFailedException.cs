using Provisioner.Client.Models;

namespace Provisioner.Client.Waiting;

/// <summary>A wait for READY met an instance that ended instead (FAILED, or TERMINATED before it was ready).</summary>
public sealed class InstanceFailedException(Instance instance)
    : Exception($"Instance {instance.Id} is {instance.Status}: {instance.FailureReason ?? "it ended before it was ready"}.")
{
    public Instance Instance { get; } = instance;
}
