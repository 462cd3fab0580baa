namespace Provisioner.Api.Instances;

/// <summary>
/// The body of <c>POST /api/instances</c>, as the seed API defines it, plus an optional webhook: where to send this
/// instance's events (instead of the tenant's default) and which (<c>["*"]</c> for every transition).
/// </summary>
public sealed record CreateInstanceRequest(
    string? UserId,
    string? TaskId,
    InstanceConfigRequest? Config,
    string? Purpose,
    string? WebhookUrl = null,
    string[]? WebhookEvents = null);

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
