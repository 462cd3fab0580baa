using Provisioner.Core.Billing;

namespace Provisioner.Core.Instances;

/// <summary>
/// A GPU machine a client asked for, from the request to its final state. Status changes only through
/// the methods here, each checked against <see cref="InstanceLifecycle"/> and recorded as an
/// <see cref="InstanceEvent"/>; the database's row version makes concurrent writers lose, not merge.
/// </summary>
public sealed partial class Instance
{
    private readonly List<InstanceEvent> _events = [];

    private Instance()
    {
        Owner = UserId = InstanceType = Region = string.Empty;
        Tags = new Dictionary<string, string>();
        Metadata = new Dictionary<string, string>();
    }

    public Guid Id { get; private set; }

    /// <summary>The tenant that owns the instance; every query is scoped by it.</summary>
    public string Owner { get; private set; }

    /// <summary>The tenant's own label for its end user: a filter, not an identity.</summary>
    public string UserId { get; private set; }

    public string? TaskId { get; private set; }
    public string? Purpose { get; private set; }
    public CloudProviderName Provider { get; private set; }

    /// <summary>The provider adapter that really serves the instance (the simulated cloud stands in until a real one is configured).</summary>
    public string? Backend { get; private set; }

    public string InstanceType { get; private set; }

    /// <summary>How many GPUs of <see cref="InstanceType"/>, where a cloud sells a product per GPU (Novita); 1 elsewhere.</summary>
    public int GpuCount { get; private set; } = 1;

    /// <summary>The cloud's own template the machine starts from (a Novita template id), when the request named one.</summary>
    public string? Template { get; private set; }

    public string Region { get; private set; }
    public int DiskSizeGB { get; private set; }
    public int AutoTerminateMinutes { get; private set; }

    /// <summary>When set, the instance is stopped once this long passes without a heartbeat (counted from ready).</summary>
    public int? IdleTerminateMinutes { get; private set; }
    public Dictionary<string, string> Tags { get; private set; }

    /// <summary>When set, a spot (interruptible) machine at no more than this price per hour.</summary>
    public decimal? SpotMaxPrice { get; private set; }

    /// <summary>The client's own boot script, run on the machine after ours. Never shown back.</summary>
    public string? UserData { get; private set; }
    public Dictionary<string, string> Metadata { get; private set; }

    /// <summary>Where this instance's events are sent; when null, the tenant's default webhook (if any).</summary>
    public string? WebhookUrl { get; private set; }

    /// <summary>The events sent to <see cref="WebhookUrl"/>; null means the default three (ready, terminated, failed).</summary>
    public string[]? WebhookEvents { get; private set; }

    public InstanceStatus Status { get; private set; }
    public string? CloudInstanceId { get; private set; }
    public string? PublicIp { get; private set; }
    public string? PrivateIp { get; private set; }

    /// <summary>
    /// The rate the instance is billed at: the catalog price at the time of the request; for spot, the ceiling until
    /// the cloud reports the price it charges (<see cref="CostIsEstimate"/> says which).
    /// </summary>
    public decimal CostPerHour { get; private set; }

    /// <summary>True while a spot instance is billed at its ceiling because the cloud has not reported its price.</summary>
    public bool CostIsEstimate { get; private set; }

    /// <summary>The provider's billing rule when the instance was requested (kept with it, like its price).</summary>
    public int BillingIncrementSeconds { get; private set; }

    public int BillingMinimumSeconds { get; private set; }
    public BillingStop BillingStopsAt { get; private set; }

    public BillingRule Billing => new(BillingIncrementSeconds, BillingMinimumSeconds, BillingStopsAt);

    /// <summary>When the cloud first accepted the stop of the machine (EC2 stops billing here).</summary>
    public DateTimeOffset? StopAcceptedAt { get; private set; }

    /// <summary>When the machine was confirmed gone: a Failed instance's machine still bills until then.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>Set by the cost rollup once the instance's final cost is in the buckets: it is never read for them again.</summary>
    public bool CostSettled { get; private set; }

    /// <summary>When billing stopped, by the instance's rule; null while it still bills (or never started).</summary>
    public DateTimeOffset? BillingEndedAt => InterruptedAt ?? (BillingStopsAt == BillingStop.StopAccepted ? StopAcceptedAt ?? ReleasedAt : ReleasedAt);

    /// <summary>Cost as of the last write; <see cref="CostAt"/> gives the live figure.</summary>
    public decimal TotalCost { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the current status was entered; what the stuck-state limits measure from.</summary>
    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>The client's last sign of use.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; private set; }

    /// <summary><c>CreatedAt + AutoTerminateMinutes</c>, as the original design defines the deadline.</summary>
    public DateTimeOffset AutoTerminateAt { get; private set; }

    /// <summary>Set before the cloud is first asked to launch: the intent, written before the act.</summary>
    public DateTimeOffset? LaunchRequestedAt { get; private set; }

    /// <summary>When the cloud says the machine started; billing starts here.</summary>
    public DateTimeOffset? LaunchedAt { get; private set; }

    public DateTimeOffset? ReadyAt { get; private set; }
    public DateTimeOffset? StopRequestedAt { get; private set; }

    /// <summary>When the cloud confirmed the machine gone; billing ends here.</summary>
    public DateTimeOffset? TerminatedAt { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL <c>xmin</c>).</summary>
    public uint Version { get; private set; }

    public IReadOnlyList<InstanceEvent> Events => _events;

    /// <summary>Records a new request in <see cref="InstanceStatus.Provisioning"/>.</summary>
    /// <param name="costPerHour">The catalog price (for all of <see cref="InstanceSpec.GpuCount"/>); a spot request is billed at its ceiling until the cloud reports its price.</param>
    public static Instance Create(Guid id, string owner, InstanceSpec spec, decimal costPerHour, BillingRule billing, DateTimeOffset now)
    {
        var instance = new Instance
        {
            Id = id,
            Owner = owner,
            UserId = spec.UserId,
            TaskId = spec.TaskId,
            Purpose = spec.Purpose,
            Provider = spec.Provider,
            InstanceType = spec.InstanceType,
            GpuCount = spec.GpuCount,
            Template = spec.Template,
            Region = spec.Region,
            DiskSizeGB = spec.DiskSizeGB,
            AutoTerminateMinutes = spec.AutoTerminateMinutes,
            IdleTerminateMinutes = spec.IdleTerminateMinutes,
            SpotMaxPrice = spec.SpotMaxPrice,
            UserData = spec.UserData,
            WebhookUrl = spec.WebhookUrl,
            WebhookEvents = spec.WebhookEvents is { } events ? [.. events] : null,
            PlacementPlan = spec.Placement,
            LaunchAttemptNumber = 1,
            Tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal),
            CostPerHour = spec.SpotMaxPrice ?? costPerHour,
            CostIsEstimate = spec.SpotMaxPrice is not null,
            BillingIncrementSeconds = billing.IncrementSeconds,
            BillingMinimumSeconds = billing.MinimumSeconds,
            BillingStopsAt = billing.StopsAt,
            Status = InstanceStatus.Provisioning,
            CreatedAt = now,
            UpdatedAt = now,
            StatusChangedAt = now,
            AutoTerminateAt = now.AddMinutes(spec.AutoTerminateMinutes),
            CapacityWaitUntil = spec.CapacityWaitMinutes > 0 ? now.AddMinutes(spec.CapacityWaitMinutes) : null,
            OnInterruption = spec.OnInterruption,
            MaxInterruptions = spec.OnInterruption == InterruptionPolicy.Relaunch ? spec.MaxInterruptions : 0,
        };
        instance._events.Add(new InstanceEvent(id, null, InstanceStatus.Provisioning, now, "requested"));
        return instance;
    }

    /// <summary>Writes the intent to launch, once, before the cloud call.</summary>
    public void MarkLaunchRequested(string backend, DateTimeOffset now)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        Backend = backend;
        LaunchRequestedAt ??= now;
        UpdatedAt = now;
    }

    /// <summary>
    /// Records the machine the cloud accepted. A fact, not a transition: it is recorded whatever the
    /// status, so that a machine launched while a stop was being asked for is still found and stopped.
    /// </summary>
    /// <param name="spotPricePerHour">The price a spot machine is charged at, when the cloud reports it.</param>
    public void RecordLaunch(string cloudInstanceId, DateTimeOffset launchedAt, DateTimeOffset now, decimal? spotPricePerHour = null)
    {
        if (IsEarlierMachine(cloudInstanceId))
        {
            throw new InvalidOperationException(
                $"Machine {cloudInstanceId} is one instance {Id} lost to an interruption; it is released, never adopted again.");
        }

        if (CloudInstanceId is not null && CloudInstanceId != cloudInstanceId)
        {
            throw new InvalidOperationException(
                $"Instance {Id} already has cloud machine {CloudInstanceId}; refusing to record {cloudInstanceId}.");
        }

        CloudInstanceId = cloudInstanceId;
        LaunchedAt ??= launchedAt;
        if (spotPricePerHour is { } reported && SpotMaxPrice is not null && CostIsEstimate)
        {
            CostPerHour = reported;
            CostIsEstimate = false;
        }

        UpdatedAt = now;
    }

    /// <summary>The cloud accepted the stop of the machine; a cloud that bills until then stops billing here.</summary>
    public void RecordStopAccepted(DateTimeOffset acceptedAt, DateTimeOffset now)
    {
        StopAcceptedAt ??= acceptedAt;
        TotalCost = CostAt(now);
        UpdatedAt = now;
    }

    /// <summary>The machine is confirmed gone: billing ends, and the cost is final.</summary>
    public void RecordReleased(DateTimeOffset now)
    {
        ReleasedAt ??= now;
        TotalCost = CostAt(now);
        UpdatedAt = now;
    }

    /// <summary>
    /// Keeps what the cloud reports about the machine (zone, size, image, resource group), updated in place so a later,
    /// fuller answer adds to an earlier one; an answer that changes nothing changes nothing, so a look writes no row.
    /// </summary>
    public void RecordMetadata(IReadOnlyDictionary<string, string>? reported)
    {
        if (reported is null || reported.All(r => Metadata.TryGetValue(r.Key, out var value) && value == r.Value))
        {
            return;
        }

        var merged = new Dictionary<string, string>(Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in reported)
        {
            merged[key] = value;
        }

        Metadata = merged;
    }

    /// <summary>The machine exists and has addresses.</summary>
    public void MarkConfiguring(string? publicIp, string? privateIp, DateTimeOffset now)
    {
        MoveTo(InstanceStatus.Configuring, "machine is up, configuring", now);
        PublicIp = publicIp;
        PrivateIp = privateIp;
    }

    public void MarkReady(DateTimeOffset now)
    {
        MoveTo(InstanceStatus.Ready, "machine passed its checks", now);
        ReadyAt = now;
    }

    /// <summary>A heartbeat from the client: the first one moves a Ready instance to Running.</summary>
    public void RecordHeartbeat(DateTimeOffset now)
    {
        if (Status == InstanceStatus.Ready)
        {
            MoveTo(InstanceStatus.Running, "first heartbeat", now);
        }
        else if (Status != InstanceStatus.Running)
        {
            throw new InvalidTransitionException(Id, Status, InstanceStatus.Running);
        }

        LastHeartbeatAt = now;
        UpdatedAt = now;
    }

    /// <summary>When the idle limit runs out, counted from the last heartbeat (or from ready); null without a limit.</summary>
    public DateTimeOffset? IdleDeadline =>
        IdleTerminateMinutes is { } minutes && (LastHeartbeatAt ?? ReadyAt) is { } lastActivity
            ? lastActivity.AddMinutes(minutes)
            : null;

    /// <summary>Asks for the machine to be stopped. Asking again is harmless and changes nothing.</summary>
    /// <returns>Whether this call moved the instance to <see cref="InstanceStatus.Stopping"/>.</returns>
    public bool RequestStop(string cause, DateTimeOffset now)
    {
        if (Status == InstanceStatus.Stopping || InstanceLifecycle.IsFinal(Status))
        {
            return false;
        }

        MoveTo(InstanceStatus.Stopping, cause, now);
        StopRequestedAt = now;
        return true;
    }

    /// <summary>The cloud confirmed the machine is gone (or none was ever launched).</summary>
    public void MarkTerminated(string cause, DateTimeOffset now)
    {
        MoveTo(InstanceStatus.Terminated, cause, now);
        TerminatedAt = now;
        ReleasedAt ??= now;
        TotalCost = CostAt(now);
    }

    /// <param name="machineGone">
    /// Whether the cloud no longer has the machine. If it still might, billing goes on until the terminate step
    /// confirms it released (<see cref="RecordReleased"/>): a failed instance's machine costs money until then.
    /// </param>
    public void MarkFailed(string reason, DateTimeOffset now, bool machineGone = false)
    {
        MoveTo(InstanceStatus.Failed, reason, now);
        FailureReason = reason;
        TerminatedAt ??= now;
        if (machineGone)
        {
            ReleasedAt ??= now;
        }

        TotalCost = CostAt(now);
    }

    /// <summary>
    /// What the instance has cost by <paramref name="now"/> by its billing rule: what its earlier machines were billed (after
    /// relaunches), plus its machine's charge from the launch the cloud reported until billing ended, or until
    /// <paramref name="now"/> while it still bills. Final once billing has ended.
    /// </summary>
    public decimal CostAt(DateTimeOffset now) =>
        EarlierMachinesCost + (LaunchedAt is { } start ? Billing.Charge(CostPerHour, (BillingEndedAt ?? now) - start) : 0m);

    private void MoveTo(InstanceStatus to, string cause, DateTimeOffset now)
    {
        if (!InstanceLifecycle.IsAllowed(Status, to))
        {
            throw new InvalidTransitionException(Id, Status, to);
        }

        _events.Add(new InstanceEvent(Id, Status, to, now, cause));
        Status = to;
        // Any move ends a wait for capacity: a stop, the deadline or a budget wins over it.
        WaitingFor = null;
        NextTryAt = null;
        UpdatedAt = now;
        StatusChangedAt = now;
        TotalCost = CostAt(now);
    }

    private void EnsureStatus(InstanceStatus expected)
    {
        if (Status != expected)
        {
            throw new InvalidTransitionException(Id, Status, expected);
        }
    }
}
