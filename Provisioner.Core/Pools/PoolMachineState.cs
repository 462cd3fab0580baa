namespace Provisioner.Core.Pools;

/// <summary>
/// Where a pool machine is. A machine is in its pool (<see cref="Starting"/>, <see cref="Warm"/>, <see cref="Releasing"/>)
/// or on an instance (<see cref="Drawn"/>), never both and never neither: one row, whose owner moves in the same
/// transaction as the instance that takes it. A drawn machine never returns to a pool (GPU machines hold data): its
/// instance terminates it.
/// </summary>
public enum PoolMachineState
{
    /// <summary>Intent written (and maybe launched): the refill waits for the machine to run.</summary>
    Starting,

    /// <summary>Running with its addresses, free to be drawn.</summary>
    Warm,

    /// <summary>Given to an instance: the instance owns and terminates it.</summary>
    Drawn,

    /// <summary>Idle past its limit, above the pool's target, drained or lost: being terminated.</summary>
    Releasing,

    /// <summary>The cloud accepted its termination (or never had it): the pool's overhead for it ends here.</summary>
    Released,
}
