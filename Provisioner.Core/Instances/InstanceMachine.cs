namespace Provisioner.Core.Instances;

/// <summary>
/// A machine an instance had and lost to an interruption, kept on the instance (its <c>machines</c> jsonb) when it was
/// relaunched on a new one: where it ran, what it was billed (its own rule, price and billed time, fixed when it ended),
/// and when the cloud confirmed it released. The instance's cost is the sum of these plus its current machine's.
/// </summary>
/// <param name="Number">The machine's place among the instance's machines, from 1.</param>
/// <param name="EndedAt">When billing of this machine ended: the cloud's stop time (or when the watch noticed).</param>
/// <param name="EndReason">The interruption, in the cloud's words.</param>
/// <param name="ReleasedAt">When the cloud confirmed the machine gone; null while the relaunch still has it terminated.</param>
public sealed record InstanceMachine(
    int Number,
    string CloudInstanceId,
    string? Backend,
    CloudProviderName Provider,
    string InstanceType,
    string Region,
    bool Spot,
    int GpuCount,
    decimal PricePerHour,
    DateTimeOffset LaunchedAt,
    DateTimeOffset? ReadyAt,
    DateTimeOffset EndedAt,
    long BilledSeconds,
    decimal Cost,
    string EndReason,
    DateTimeOffset? ReleasedAt);
