namespace Provisioner.Core.Instances;

/// <summary>
/// An instance as clients see it: the original design's fields, plus timestamps and the failure reason, and while it waits for
/// capacity what it waits for, the offers tried and the next try. The API answers with it
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
    int GpuCount = 1,
    string? WaitingFor = null,
    DateTimeOffset? NextTryAt = null,
    DateTimeOffset? CapacityWaitUntil = null,
    IReadOnlyList<string>? OffersTried = null)
{
    /// <summary>What the cloud reports about the machine (see <see cref="Providers.CloudMachine.Metadata"/>); empty before the launch.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>What the request asked to happen when the cloud takes the machine away: <c>fail</c> or <c>relaunch</c>.</summary>
    public string OnInterruption { get; init; } = "fail";

    /// <summary>How many times the cloud took the machine away (each relaunch, and the one that failed it); every machine is at <c>/machines</c>.</summary>
    public int Interruptions { get; init; }

    /// <summary>Cost is computed at <paramref name="now"/>, so it accrues while the instance lives.</summary>
    public static InstanceResponse From(Instance i, DateTimeOffset now) => new(
        i.Id, i.UserId, i.TaskId, i.Purpose, i.Provider, i.Backend, i.InstanceType, i.Region, i.DiskSizeGB,
        i.AutoTerminateMinutes, i.IdleTerminateMinutes, i.SpotMaxPrice is { } spot ? Money.Normalize(spot) : null, i.Status, i.CloudInstanceId, i.PublicIp, i.PrivateIp, Money.Normalize(i.CostPerHour),
        Money.Round(i.CostAt(now)), i.Tags, i.CreatedAt, i.UpdatedAt,
        i.AutoTerminateAt, i.LaunchedAt, i.ReadyAt, i.LastHeartbeatAt, i.TerminatedAt, i.FailureReason, i.WebhookUrl, i.CostIsEstimate, i.GpuCount,
        i.WaitingFor, i.NextTryAt, i.CapacityWaitUntil,
        // While waiting, every offer of the round was refused (or skipped in backoff): those are the offers tried.
        i.WaitingFor is null ? null : [.. i.OffersOfARound.Select(o => o.Offering.ToString())])
    {
        Metadata = i.Metadata,
        OnInterruption = InterruptionPolicyNames.Of(i.OnInterruption),
        Interruptions = i.InterruptionCount,
    };
}
