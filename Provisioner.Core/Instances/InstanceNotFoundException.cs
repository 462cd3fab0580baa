namespace Provisioner.Core.Instances;

/// <summary>No instance with this id exists (for this owner).</summary>
public sealed class InstanceNotFoundException(Guid instanceId) : Exception($"Instance {instanceId} does not exist.")
{
    public Guid InstanceId { get; } = instanceId;
}
