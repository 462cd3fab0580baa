using System.Text.Json;

namespace Provisioner.Api.Instances;

/// <summary>
/// The body of <c>POST /api/instances</c>, in one of two shapes, told apart by their fields (<see cref="RequestShapes"/>):
/// the seed API's (<c>userId</c>, <c>taskId</c>, <c>purpose</c>, <c>config</c>) or the NovitaAI service's (<c>name</c>,
/// <c>productName</c>, <c>templateId</c>, <c>gpuNum</c>, <c>rootfsSize</c>, <c>region</c>). Both take an optional webhook:
/// where to send this instance's events (instead of the tenant's default) and which (<c>["*"]</c> for every transition).
/// </summary>
/// <param name="TemplateId">A positive integer, as a JSON number or a numeric string (the NovitaAI service takes both).</param>
public sealed record CreateInstanceRequest(
    string? UserId,
    string? TaskId,
    InstanceConfigRequest? Config,
    string? Purpose,
    string? WebhookUrl = null,
    string[]? WebhookEvents = null,
    string? Name = null,
    string? ProductName = null,
    JsonElement? TemplateId = null,
    int? GpuNum = null,
    int? RootfsSize = null,
    string? Region = null);

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
