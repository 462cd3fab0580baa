namespace Provisioner.Api.Instances;

/// <summary>The body of <c>POST /api/instances</c>, as the seed API defines it.</summary>
public sealed record CreateInstanceRequest(
    string? UserId,
    string? TaskId,
    InstanceConfigRequest? Config,
    string? Purpose);

/// <summary>
/// What machine to provide. Missing sizes take the seed's defaults (100 GB disk, 60 minutes). With
/// <see cref="SpotMaxPrice"/> the machine is a spot (interruptible) one at no more than that per hour;
/// <see cref="UserData"/> is a boot script run on the machine (after the deadline guard).
/// </summary>
public sealed record InstanceConfigRequest(
    string? Provider,
    string? InstanceType,
    string? Region,
    int? DiskSizeGB,
    int? AutoTerminateMinutes,
    Dictionary<string, string>? Tags,
    int? IdleTerminateMinutes = null,
    decimal? SpotMaxPrice = null,
    string? UserData = null);
