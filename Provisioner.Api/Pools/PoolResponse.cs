using Provisioner.Core.Instances;
using Provisioner.Core.Pools;

namespace Provisioner.Api.Pools;

/// <summary>A pool as operators see it: its definition, its machines now, and today's figures (UTC day).</summary>
/// <param name="Target">How many machines it is kept at now: min, or the autoscaled target (0 once deleted).</param>
/// <param name="HitRate">Creates served warm / creates it could serve, today; null before any.</param>
/// <param name="OverheadToday">What its machines' time in the pool cost today, billed to the pool, not to a tenant.</param>
public sealed record PoolResponse(
    Guid Id, string Name, string Provider, string InstanceType, string Region, int DiskSizeGB,
    int Min, int Max, int IdleMinutes, bool Autoscale, IReadOnlyList<string> Tenants, string Status, DateTimeOffset CreatedAt,
    int Target, int Warm, int Starting, int Drawn, int Releasing,
    int RequestsToday, int ServedToday, double? HitRate, double? WarmSecondsToReady, double? ColdSecondsToReady, decimal OverheadToday,
    IReadOnlyList<PoolMachineResponse> Machines)
{
    public static PoolResponse From(PoolView view)
    {
        var pool = view.Pool;
        return new PoolResponse(
            pool.Id, pool.Name, pool.Provider.ToString().ToUpperInvariant(), pool.InstanceType, pool.Region, pool.DiskSizeGB,
            pool.Min, pool.Max, pool.IdleMinutes, pool.Autoscale, pool.Tenants, pool.Status.ToString().ToUpperInvariant(), pool.CreatedAt,
            view.Target, view.Count(PoolMachineState.Warm), view.Count(PoolMachineState.Starting), view.Count(PoolMachineState.Drawn),
            view.Count(PoolMachineState.Releasing),
            view.Requests, view.Served, view.HitRate, view.WarmSecondsToReady, view.ColdSecondsToReady, Money.Round(view.OverheadToday),
            [.. view.Machines.Select(PoolMachineResponse.From)]);
    }
}

/// <summary>One of a pool's machines: in the pool (starting, warm, releasing), or drawn today by an instance.</summary>
public sealed record PoolMachineResponse(
    Guid Id, string State, string? CloudInstanceId, Guid? InstanceId, DateTimeOffset LaunchRequestedAt,
    DateTimeOffset? ReadyAt, DateTimeOffset? DrawnAt, DateTimeOffset? ReleasedAt, string? ReleaseReason)
{
    public static PoolMachineResponse From(PoolMachine m) =>
        new(m.Id, m.State.ToString().ToUpperInvariant(), m.CloudInstanceId, m.InstanceId, m.LaunchRequestedAt, m.ReadyAt, m.DrawnAt, m.ReleasedAt, m.ReleaseReason);
}

public sealed record PoolListResponse(IReadOnlyList<PoolResponse> Pools, int Count);
