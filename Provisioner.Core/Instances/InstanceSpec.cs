namespace Provisioner.Core.Instances;

/// <summary>What a client asked for, already validated.</summary>
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
    string? UserData = null);
