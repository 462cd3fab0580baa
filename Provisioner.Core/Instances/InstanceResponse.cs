namespace Provisioner.Core.Instances;

/// <summary>
/// An instance as clients see it: the original design's fields, plus timestamps and the failure reason. The API answers with it
/// and webhook events carry it, so a receiver reads exactly what a poll would have returned.
/// </summary>
public sealed record InstanceResponse(
    Guid Id,
    string UserId,
    string? TaskId,
    string? Purpose,
    CloudProviderName Provider,
    string? Backend,
    string InstanceType,
    string Region,
    int DiskSizeGB,
    int AutoTerminateMinutes,
    int? IdleTerminateMinutes,
    decimal? SpotMaxPrice,
    InstanceStatus Status,
    string? CloudInstanceId,
    string? PublicIp,
    string? PrivateIp,
    decimal CostPerHour,
    decimal TotalCost,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset AutoTerminateAt,
    DateTimeOffset? LaunchedAt,
    DateTimeOffset? ReadyAt,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset? TerminatedAt,
    string? FailureReason,
    string? WebhookUrl,
    bool CostIsEstimate,
    int GpuCount = 1)
{
    /// <summary>Cost is computed at <paramref name="now"/>, so it accrues while the instance lives.</summary>
    public static InstanceResponse From(Instance i, DateTimeOffset now) => new(
        i.Id, i.UserId, i.TaskId, i.Purpose, i.Provider, i.Backend, i.InstanceType, i.Region, i.DiskSizeGB,
        i.AutoTerminateMinutes, i.IdleTerminateMinutes, i.SpotMaxPrice is { } spot ? Money.Normalize(spot) : null, i.Status, i.CloudInstanceId, i.PublicIp, i.PrivateIp, Money.Normalize(i.CostPerHour),
        Money.Round(i.CostAt(now)), i.Tags, i.CreatedAt, i.UpdatedAt,
        i.AutoTerminateAt, i.LaunchedAt, i.ReadyAt, i.LastHeartbeatAt, i.TerminatedAt, i.FailureReason, i.WebhookUrl, i.CostIsEstimate, i.GpuCount);
}
