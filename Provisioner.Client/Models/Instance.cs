namespace Provisioner.Client.Models;

/// <summary>An instance as the API last recorded it. Money is USD; <see cref="TotalCost"/> accrues while it lives.</summary>
public sealed record Instance
{
    public Guid Id { get; init; }
    public string UserId { get; init; } = "";
    public string? TaskId { get; init; }
    public string? Purpose { get; init; }
    public string Provider { get; init; } = "";

    /// <summary>The cloud that really runs it (SIMULATED where no real cloud is configured).</summary>
    public string? Backend { get; init; }
    public string InstanceType { get; init; } = "";
    public string Region { get; init; } = "";
    public int DiskSizeGB { get; init; }
    public int AutoTerminateMinutes { get; init; }
    public int? IdleTerminateMinutes { get; init; }
    public decimal? SpotMaxPrice { get; init; }

    /// <summary>One of <see cref="InstanceStatuses"/>.</summary>
    public string Status { get; init; } = "";
    public string? CloudInstanceId { get; init; }
    public string? PublicIp { get; init; }
    public string? PrivateIp { get; init; }
    public decimal CostPerHour { get; init; }
    public decimal TotalCost { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset AutoTerminateAt { get; init; }
    public DateTimeOffset? LaunchedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    public DateTimeOffset? TerminatedAt { get; init; }
    public string? FailureReason { get; init; }
    public string? WebhookUrl { get; init; }
    public bool CostIsEstimate { get; init; }
    public int GpuCount { get; init; } = 1;

    /// <summary>What the cloud reports about the machine (AWS zone, type, image; Azure resource group, location, size); empty before the launch.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary><c>capacity</c> while every offer is refused and the request may still wait; null otherwise.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>While waiting: when the launch is tried again.</summary>
    public DateTimeOffset? NextTryAt { get; init; }

    /// <summary>Until when the request may wait for capacity (then it is FAILED with every attempt).</summary>
    public DateTimeOffset? CapacityWaitUntil { get; init; }

    /// <summary>While waiting: the offers of the round that were refused or skipped in backoff.</summary>
    public IReadOnlyList<string>? OffersTried { get; init; }

    /// <summary><c>fail</c> or <c>relaunch</c>: what the request asked to happen when the cloud takes the machine away.</summary>
    public string OnInterruption { get; init; } = "fail";

    /// <summary>How many times the cloud took the machine away; every machine is listed by <see cref="ProvisionerClient.GetInstanceMachinesAsync"/>.</summary>
    public int Interruptions { get; init; }
}

/// <summary>The answer to a create: the instance, and what the API said about the request.</summary>
public sealed record CreatedInstance
{
    public Instance Instance { get; init; } = null!;

    /// <summary>Set when the Idempotency-Key had been used for this same request: nothing new was created.</summary>
    public string? Message { get; init; }

    /// <summary>The tenant's webhook signing secret, on the one create that first gave the tenant a webhook.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Answers a create in the NovitaAI service's shape.</summary>
    public DateTimeOffset? EstimatedReadyAt { get; init; }

    /// <summary>The Idempotency-Key the create was sent with (the caller's, or the one the client made).</summary>
    public string IdempotencyKey { get; init; } = "";

    public bool Replayed => Message is not null && Message.StartsWith("Replayed", StringComparison.Ordinal);
}

/// <summary>The answer to a termination request or a heartbeat.</summary>
public sealed record InstanceChange(Instance Instance, string? Message);

/// <summary>A page of instances, newest first; pass <see cref="NextCursor"/> back for the next.</summary>
public sealed record InstancePage(IReadOnlyList<Instance> Instances, int Count, string? NextCursor);

/// <summary>One step of an instance's timeline: from which status to which, when, and why.</summary>
public sealed record InstanceEvent(string? From, string To, DateTimeOffset At, string Cause);

/// <summary>One offer a launch tried or skipped, with what the cloud said (<see cref="Detail"/>).</summary>
public sealed record LaunchAttempt(
    int Number, string Provider, string InstanceType, string Region, string Market, decimal PricePerHour, string Outcome, string? Detail, DateTimeOffset At);

/// <summary>
/// One machine an instance had (those lost to interruptions, then the current one), with the time it was billed and its
/// cost; the instance's cost is their sum.
/// </summary>
public sealed record InstanceMachine(
    int Number, string CloudInstanceId, string Provider, string InstanceType, string Region, string Market, decimal PricePerHour,
    DateTimeOffset LaunchedAt, DateTimeOffset? ReadyAt, DateTimeOffset? EndedAt, long BilledSeconds, decimal Cost,
    string? EndReason, DateTimeOffset? ReleasedAt, bool Current);

/// <summary>Counts, costs and breakdowns over instances requested in a period.</summary>
public sealed record InstanceStatistics(
    int TotalProvisioned,
    int CurrentlyRunning,
    decimal TotalCost,
    double AverageDuration,
    decimal AverageCost,
    IReadOnlyDictionary<string, int> ProviderBreakdown,
    IReadOnlyDictionary<string, int> InstanceTypeBreakdown,
    IReadOnlyDictionary<string, int> StatusBreakdown,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? GroupBy = null,
    IReadOnlyList<StatisticsGroup>? Groups = null);

public sealed record StatisticsGroup(string Key, int TotalProvisioned, int CurrentlyRunning, decimal TotalCost, double AverageDuration, decimal AverageCost);
