namespace Provisioner.Core.Instances;

/// <summary>A status change the transition table does not allow. Never swallowed: it is a bug or a lost race.</summary>
public sealed class InvalidTransitionException(Guid instanceId, InstanceStatus from, InstanceStatus to)
    : InvalidOperationException($"Instance {instanceId} cannot move from {from} to {to}.")
{
    public Guid InstanceId { get; } = instanceId;
    public InstanceStatus From { get; } = from;
    public InstanceStatus To { get; } = to;
}
