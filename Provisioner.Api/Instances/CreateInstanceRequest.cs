namespace Provisioner.Api.Instances;

/// <summary>The body of <c>POST /api/instances</c>, as the seed API defines it.</summary>
public sealed record CreateInstanceRequest(
    string? UserId,
    string? TaskId,
    InstanceConfigRequest? Config,
    string? Purpose);

/// <summary>What machine to provide. Missing sizes take the seed's defaults (100 GB disk, 60 minutes).</summary>
public sealed record InstanceConfigRequest(
    string? Provider,
    string? InstanceType,
    string? Region,
    int? DiskSizeGB,
    int? AutoTerminateMinutes,
    Dictionary<string, string>? Tags,
    int? IdleTerminateMinutes = null);
