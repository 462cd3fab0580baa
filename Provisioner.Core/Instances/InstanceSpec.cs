namespace Provisioner.Core.Instances;

/// <summary>What a client asked for, already validated (the webhook target among it: allowed and resolvable).</summary>
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
    IReadOnlyList<string>? WebhookEvents = null);
