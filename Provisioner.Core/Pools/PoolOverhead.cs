namespace Provisioner.Core.Pools;

/// <summary>
/// What a pool's machines cost it: each machine's time in the pool (from the cloud's launch until it was drawn or
/// released) at its price. The part within a period is charged pro rata to the second, so the days of a report add
/// up to its whole; the tenant who draws a machine is billed from the draw by its own rule.
/// </summary>
public static class PoolOverhead
{
    public static decimal Within(PoolMachine machine, DateTimeOffset from, DateTimeOffset to)
    {
        if (machine.LaunchedAt is not { } start)
        {
            return 0m;
        }

        var end = machine.OverheadEndsAt ?? to;
        var overlapStart = start > from ? start : from;
        var overlapEnd = end < to ? end : to;
        if (overlapEnd <= overlapStart)
        {
            return 0m;
        }

        return decimal.Round(machine.PricePerHour * (decimal)(overlapEnd - overlapStart).TotalSeconds / 3600m, 6, MidpointRounding.AwayFromZero);
    }
}
