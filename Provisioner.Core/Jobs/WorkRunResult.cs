namespace Provisioner.Core.Jobs;

/// <summary>What <see cref="InstanceWorkRunner"/> did with one delivery.</summary>
public enum WorkRunResult
{
    /// <summary>The step ran and its item is retired.</summary>
    Done,

    /// <summary>The step ran into a retryable failure and is scheduled again.</summary>
    Retrying,

    /// <summary>The ticket was replaced or already finished: nothing ran.</summary>
    Stale,

    /// <summary>Delivered long before its due time: handed back to be scheduled properly.</summary>
    HandedBack,
}
