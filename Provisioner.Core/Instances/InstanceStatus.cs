namespace Provisioner.Core.Instances;

/// <summary>Where an instance is in its life. Serialized as upper-case names, as the original design spells them.</summary>
public enum InstanceStatus
{
    /// <summary>Recorded; the cloud is being asked for a machine, or is creating it.</summary>
    Provisioning,

    /// <summary>The machine exists and has addresses; it is booting and passing its checks.</summary>
    Configuring,

    /// <summary>The machine is up and may be used.</summary>
    Ready,

    /// <summary>The client has reported it in use (heartbeats).</summary>
    Running,

    /// <summary>Termination was asked for; the cloud is stopping the machine.</summary>
    Stopping,

    /// <summary>Final: the cloud confirmed the machine is gone.</summary>
    Terminated,

    /// <summary>Final: the instance could not be provided; <c>FailureReason</c> says why.</summary>
    Failed,
}
