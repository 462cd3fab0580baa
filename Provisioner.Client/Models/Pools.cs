namespace Provisioner.Client.Models;

/// <summary>A warm pool: what it keeps, its machines now, and today's figures (UTC day).</summary>
public sealed record Pool(
    Guid Id, string Name, string Provider, string InstanceType, string Region, int DiskSizeGB,
    int Min, int Max, int IdleMinutes, bool Autoscale, IReadOnlyList<string> Tenants, string Status, DateTimeOffset CreatedAt,
    int Target, int Warm, int Starting, int Drawn, int Releasing,
    int RequestsToday, int ServedToday, double? HitRate, double? WarmSecondsToReady, double? ColdSecondsToReady, decimal OverheadToday,
    IReadOnlyList<PoolMachine> Machines);

/// <summary>One of a pool's machines: STARTING, WARM, RELEASING, or DRAWN (by <see cref="InstanceId"/>) today.</summary>
public sealed record PoolMachine(
    Guid Id, string State, string? CloudInstanceId, Guid? InstanceId, DateTimeOffset LaunchRequestedAt,
    DateTimeOffset? ReadyAt, DateTimeOffset? DrawnAt, DateTimeOffset? ReleasedAt, string? ReleaseReason);

/// <summary>A new pool. Omitted: diskSizeGB 100, min 0, max 1 (or min), idleMinutes 10, autoscale false, every tenant.</summary>
public sealed record CreatePoolRequest(
    string Name, string Provider, string InstanceType, string Region, int? DiskSizeGB = null,
    int? Min = null, int? Max = null, int? IdleMinutes = null, bool? Autoscale = null, IReadOnlyList<string>? Tenants = null);

/// <summary>A change to a pool; what is null stays.</summary>
public sealed record UpdatePoolRequest(int? Min = null, int? Max = null, int? IdleMinutes = null, bool? Autoscale = null, IReadOnlyList<string>? Tenants = null);
