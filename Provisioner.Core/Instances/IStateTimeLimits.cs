namespace Provisioner.Core.Instances;

/// <summary>
/// The settings <see cref="InstanceLifecycle"/> takes its per-state time limits from (the <c>Lifecycle</c> section),
/// named here so the lifecycle's definition does not depend on how settings are bound.
/// </summary>
public interface IStateTimeLimits
{
    TimeSpan ProvisioningTimeout { get; }

    TimeSpan ConfiguringTimeout { get; }

    TimeSpan StoppingTimeout { get; }
}
