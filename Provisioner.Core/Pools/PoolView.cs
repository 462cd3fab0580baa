namespace Provisioner.Core.Pools;

/// <summary>A pool with its machines as they are now, and how well it serves: what the admin API and the console show.</summary>
/// <param name="Requests">Creates it could serve today (UTC day); <paramref name="Served"/> of them got a warm machine.</param>
/// <param name="WarmSecondsToReady">Mean request-to-READY of today's creates it served, in seconds; null without any.</param>
/// <param name="ColdSecondsToReady">The same for today's creates it could have served but launched cold.</param>
/// <param name="OverheadToday">What its machines' time in the pool cost today (warm and starting, not drawn).</param>
public sealed record PoolView(
    WarmPool Pool,
    int Target,
    IReadOnlyList<PoolMachine> Machines,
    int Requests,
    int Served,
    double? WarmSecondsToReady,
    double? ColdSecondsToReady,
    decimal OverheadToday)
{
    public int Count(PoolMachineState state) => Machines.Count(m => m.State == state);

    /// <summary>Served / requests today; null before any request.</summary>
    public double? HitRate => Requests == 0 ? null : (double)Served / Requests;
}
