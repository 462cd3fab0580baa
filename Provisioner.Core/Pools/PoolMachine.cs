using Provisioner.Core.Providers;

namespace Provisioner.Core.Pools;

/// <summary>
/// One machine launched for a pool, with the pool's ownership tags (its own id as the instance-id tag, so reconciliation
/// finds the record of a machine whose launch answer was lost). In its pool or on an instance, never both, never
/// neither (<see cref="PoolMachineState"/>); every move is a conditional update of this one row.
/// </summary>
public sealed class PoolMachine
{
    private PoolMachine()
    {
        Backend = InstanceType = Region = string.Empty;
    }

    public PoolMachine(Guid id, WarmPool pool, string backend, decimal pricePerHour, DateTimeOffset deadline, DateTimeOffset now)
    {
        Id = id;
        PoolId = pool.Id;
        Backend = backend;
        InstanceType = pool.InstanceType;
        Region = pool.Region;
        DiskSizeGB = pool.DiskSizeGB;
        PricePerHour = pricePerHour;
        State = PoolMachineState.Starting;
        LaunchRequestedAt = now;
        Deadline = deadline;
    }

    /// <summary>Also the machine's instance-id ownership tag and the root of its launch token.</summary>
    public Guid Id { get; private set; }

    public Guid PoolId { get; private set; }
    public string Backend { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }
    public int DiskSizeGB { get; private set; }

    /// <summary>The catalog price when it was launched: what its idle time costs the pool per hour.</summary>
    public decimal PricePerHour { get; private set; }

    public PoolMachineState State { get; private set; }
    public string? CloudInstanceId { get; private set; }
    public string? PublicIp { get; private set; }
    public string? PrivateIp { get; private set; }

    /// <summary>The instance that drew it; set exactly when <see cref="State"/> is <see cref="PoolMachineState.Drawn"/>.</summary>
    public Guid? InstanceId { get; private set; }

    public DateTimeOffset LaunchRequestedAt { get; private set; }

    /// <summary>
    /// The machine's own dead-man switch (<see cref="LaunchSpec.Deadline"/>): it stops itself then if we are gone. Only an
    /// instance whose deadline comes before it may draw the machine.
    /// </summary>
    public DateTimeOffset Deadline { get; private set; }

    /// <summary>When the cloud says it started: the pool's overhead for it starts here.</summary>
    public DateTimeOffset? LaunchedAt { get; private set; }

    /// <summary>When it was first seen running: warm from here.</summary>
    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary>When an instance took it: the tenant is billed from here, the pool until here.</summary>
    public DateTimeOffset? DrawnAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>Why it was released (idle, drained, lost), for the console.</summary>
    public string? ReleaseReason { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL <c>xmin</c>): a draw and a release of one machine cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>The launch token: the same on every retry, so a re-run after a crash finds the machine, never starts a second.</summary>
    public string LaunchToken => LaunchTokens.For(Id);

    /// <summary>When its pool overhead ends: the draw, the release, or (still in the pool) not yet.</summary>
    public DateTimeOffset? OverheadEndsAt => DrawnAt ?? ReleasedAt;

    public void RecordLaunch(string cloudInstanceId, DateTimeOffset launchedAt)
    {
        CloudInstanceId ??= cloudInstanceId;
        LaunchedAt ??= launchedAt;
    }

    public void MarkWarm(string? publicIp, string? privateIp, DateTimeOffset now)
    {
        Expect(PoolMachineState.Starting);
        State = PoolMachineState.Warm;
        PublicIp = publicIp;
        PrivateIp = privateIp;
        ReadyAt = now;
    }

    public void Release(string reason, DateTimeOffset now)
    {
        if (State is not (PoolMachineState.Starting or PoolMachineState.Warm))
        {
            throw new InvalidOperationException($"Pool machine {Id} is {State}: only a machine still in its pool is released.");
        }

        State = PoolMachineState.Releasing;
        ReleaseReason = reason;
        // Overhead ends when we ask for the stop; a cloud that takes a moment to stop is not the pool's idle time.
        ReleasedAt = now;
    }

    public void MarkReleased(DateTimeOffset now)
    {
        Expect(PoolMachineState.Releasing);
        State = PoolMachineState.Released;
        ReleasedAt ??= now;
    }

    private void Expect(PoolMachineState expected)
    {
        if (State != expected)
        {
            throw new InvalidOperationException($"Pool machine {Id} is {State}, not {expected}.");
        }
    }
}
