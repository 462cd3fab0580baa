using Provisioner.Core.Placement;

namespace Provisioner.Core.Instances;

/// <summary>What a client asked for, already validated (the webhook target among it: allowed and resolvable).</summary>
/// <param name="GpuCount">How many GPUs of a product sold per GPU (Novita's <c>gpuNum</c>); 1 for types with a fixed count.</param>
/// <param name="Template">The cloud's own template to start from (Novita's <c>templateId</c>).</param>
/// <param name="Needs">
/// What the request needs instead of an exact machine; the provider, type, region, GPU count and spot ceiling are then
/// the placer's to fill in (<see cref="Placement"/>'s first offer).
/// </param>
/// <param name="Placement">The placer's plan for <see cref="Needs"/>: the first offer and its fallbacks.</param>
/// <param name="CapacityWaitMinutes">How long the request waits for capacity when every offer is refused; 0 fails it at once.</param>
/// <param name="OnInterruption">What happens when the cloud takes the machine away after READY.</param>
/// <param name="MaxInterruptions">How many interruptions a relaunching instance recovers from (<c>Lifecycle:MaxInterruptions</c> when requested).</param>
public sealed record InstanceSpec(
    string UserId,
    string? TaskId,
    string? Purpose,
    CloudProviderName Provider,
    string InstanceType,
    string Region,
    int DiskSizeGB,
    int AutoTerminateMinutes,
    IReadOnlyDictionary<string, string> Tags,
    int? IdleTerminateMinutes = null,
    decimal? SpotMaxPrice = null,
    string? UserData = null,
    string? WebhookUrl = null,
    IReadOnlyList<string>? WebhookEvents = null,
    int GpuCount = 1,
    string? Template = null,
    PlacementRequest? Needs = null,
    PlacementPlan? Placement = null,
    int CapacityWaitMinutes = 0,
    InterruptionPolicy OnInterruption = InterruptionPolicy.Fail,
    int MaxInterruptions = 0);
