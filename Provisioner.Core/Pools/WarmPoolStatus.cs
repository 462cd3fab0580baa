namespace Provisioner.Core.Pools;

/// <summary>Where a pool is in its life: serving, emptying after a delete, or gone (kept for its history and costs).</summary>
public enum WarmPoolStatus
{
    /// <summary>Kept at its target and drawn from.</summary>
    Active,

    /// <summary>Deleted by an operator: nothing is drawn, its warm and starting machines are released.</summary>
    Draining,

    /// <summary>Drained: no machine of it is left in the cloud. The row stays for its requests and overhead.</summary>
    Deleted,
}
