using System.Text.Json;

namespace Provisioner.Api.Instances;

/// <summary>
/// The body of <c>POST /api/instances</c>, in one of two shapes, told apart by their fields (<see cref="RequestShapes"/>):
/// the original design's (<c>userId</c>, <c>taskId</c>, <c>purpose</c>, <c>config</c>) or the NovitaAI service's (<c>name</c>,
/// <c>productName</c>, <c>templateId</c>, <c>gpuNum</c>, <c>rootfsSize</c>, <c>region</c>). Both take an optional webhook:
/// where to send this instance's events (instead of the tenant's default) and which (<c>["*"]</c> for every transition).
/// </summary>
/// <param name="TemplateId">A positive integer, as a JSON number or a numeric string (the NovitaAI service takes both).</param>
/// <param name="AutoTerminateMinutes">
/// The NovitaAI shape's deadline: stopped this long after the request, 5-120, default 60 (the original design's shape's is
/// <c>config.autoTerminateMinutes</c>). Not a field of NovitaAI's own service, which has no deadline: ours is added so
/// such an instance is not stopped at a deadline its client could not set.
/// </param>
/// <param name="OnInterruption">
/// What happens when the cloud takes the machine away after READY (a spot reclaim, a stop outside us): <c>fail</c> (the
/// default: FAILED, <c>Interrupted: …</c>) or <c>relaunch</c> (a new machine for the same instance, up to
/// <c>Lifecycle:MaxInterruptions</c> times). Either shape.
/// </param>
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
    string? Region = null,
    int? AutoTerminateMinutes = null,
    string? OnInterruption = null);

/// <summary>
/// What machine to provide. Missing sizes take the original design's defaults (100 GB disk, 60 minutes). With
/// <see cref="SpotMaxPrice"/> the machine is a spot (interruptible) one at no more than that per hour;
/// <see cref="UserData"/> is a boot script run on the machine (after the deadline guard). Instead of an exact
/// <see cref="Provider"/> + <see cref="InstanceType"/> + <see cref="Region"/>, a request may state what it needs in
/// <see cref="Requirements"/>: the placer then picks the cheapest fitting offer and fails over on capacity errors.
/// With <see cref="CapacityWaitMinutes"/>, a request whose every offer is refused for capacity waits that long for it
/// (still Provisioning, <c>waitingFor: "capacity"</c>) instead of failing at once.
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
    string? UserData = null,
    RequirementsRequest? Requirements = null,
    int? CapacityWaitMinutes = null);

/// <summary>What a machine must have, for the placer to choose it across clouds.</summary>
/// <param name="Gpu">GPU model (T4, A10G, L4, A100, H100, RTX 4090 ...); required.</param>
/// <param name="GpuCount">GPUs on the machine, 1-8; default 1.</param>
/// <param name="MinGpuMemoryGiB">Memory per GPU, at least.</param>
/// <param name="MaxPricePerHour">For the whole machine, USD; also what the budget holds against the instance.</param>
/// <param name="Providers">Allowed clouds (AWS, AZURE, NOVITA); default every real one.</param>
/// <param name="Regions">Allowed regions; default every one.</param>
/// <param name="Spot"><c>never</c> (default), <c>preferred</c> (spot first, on-demand when refused) or <c>required</c>.</param>
/// <param name="PreferWarm">Take a fitting offer a warm pool has a free machine of over a cheaper cold one (default: only within <c>Pools:WarmPriceDifference</c>).</param>
public sealed record RequirementsRequest(
    string? Gpu,
    int? GpuCount = null,
    int? MinGpuMemoryGiB = null,
    decimal? MaxPricePerHour = null,
    string[]? Providers = null,
    string[]? Regions = null,
    string? Spot = null,
    bool? PreferWarm = null);
