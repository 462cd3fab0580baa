namespace Provisioner.Core.Instances;

/// <summary>What a client asked for, already validated (the webhook target among it: allowed and resolvable).</summary>
/// <param name="GpuCount">How many GPUs of a product sold per GPU (Novita's <c>gpuNum</c>); 1 for types with a fixed count.</param>
/// <param name="Template">The cloud's own template to start from (Novita's <c>templateId</c>).</param>
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
    string? Template = null);
