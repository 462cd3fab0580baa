using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.ApiBudgets;

/// <summary>A token bucket as clouds publish their API limits: <see cref="Capacity"/> calls at once, refilled at <see cref="RefillPerSecond"/>.</summary>
public sealed class ApiLimit
{
    /// <summary>Calls a full bucket allows in a burst (EC2's "bucket size").</summary>
    [Range(1, 1_000_000)]
    public int Capacity { get; set; }

    /// <summary>Calls added back per second (EC2's "refill rate").</summary>
    [Range(0.001, 1_000_000)]
    public double RefillPerSecond { get; set; }

    public static ApiLimit Of(int capacity, double refillPerSecond) => new() { Capacity = capacity, RefillPerSecond = refillPerSecond };

    public override string ToString() => $"{Capacity} burst, {RefillPerSecond:0.###}/s";
}
