namespace Provisioner.Api.Pools;

/// <summary>
/// <c>POST /api/admin/pools</c>: what a pool keeps warm (an exact provider, type and region, with the disk its machines
/// get), how many, for how long, for whom. Omitted: min 0, max 1, idleMinutes 10, autoscale false, every tenant, disk 100 GB.
/// </summary>
public sealed record CreatePoolRequest(
    string? Name, string? Provider, string? InstanceType, string? Region, int? DiskSizeGB,
    int? Min, int? Max, int? IdleMinutes, bool? Autoscale, string[]? Tenants);

/// <summary><c>PATCH /api/admin/pools/{id}</c>: the size and tenants of a pool; what is omitted stays.</summary>
public sealed record UpdatePoolRequest(int? Min, int? Max, int? IdleMinutes, bool? Autoscale, string[]? Tenants);
