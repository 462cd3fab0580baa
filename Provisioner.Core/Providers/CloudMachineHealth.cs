namespace Provisioner.Core.Providers;

/// <summary>What a cloud's own health checks say of a running machine, in cloud-neutral terms.</summary>
public enum CloudMachineHealth
{
    /// <summary>The answer carried no health (not running yet, or a call that does not report it): nothing is concluded.</summary>
    Unknown,

    /// <summary>The cloud's checks pass (EC2 system and instance status <c>ok</c>, ARM <c>HealthState/healthy</c>, Novita no <c>statusError</c>).</summary>
    Ok,

    /// <summary>
    /// The cloud says the machine fails its checks (EC2 status <c>impaired</c>, ARM <c>HealthState/unhealthy</c> or
    /// <c>ProvisioningState/failed</c> on a running VM, Novita a <c>statusError</c> on a running instance). It may recover;
    /// one failing longer than <c>Lifecycle:ImpairedAfter</c> is treated as an interruption.
    /// </summary>
    Impaired,
}
